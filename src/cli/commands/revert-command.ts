import type { Command } from 'commander';
import { replayJournals } from '../../gameday/replay-journal.ts';
import { JOURNAL_DIR } from '../../gameday/revert-journal.ts';

/** `firedrill revert`: undo what a crashed or killed game day left applied, from its journal. */
export function addRevertCommand(program: Command): void {
  program
    .command('revert')
    .description(`undo every fault and silence a game day left applied (it crashed or was killed), from its journal in ${JOURNAL_DIR}/`)
    .option('--journal-dir <dir>', 'where the journals are', JOURNAL_DIR)
    .action(async (opts: { journalDir: string }) => {
      const { reverted, failed, skipped } = await replayJournals(opts.journalDir);
      for (const line of reverted) console.log(`reverted ${line}`);
      for (const line of skipped) console.log(`skipped  ${line}`);
      for (const line of failed) console.error(`FAILED   ${line}`);
      if (reverted.length === 0 && failed.length === 0 && skipped.length === 0) console.log(`nothing to revert: no game day left anything applied (${opts.journalDir})`);
      process.exitCode = failed.length > 0 ? 1 : 0;
    });
}

import type { Command } from 'commander';
import { isGateResult, readResultFile } from '../../report/result-file.ts';
import { checkHtmlWritable, reportInputOf, writeHtmlReport } from '../html-output.ts';

/** `firedrill report <result.json> --html FILE`: the HTML report of a result written earlier. */
export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the HTML report of a run, gate or merged result JSON written earlier')
    .argument('<result>', 'a result JSON (run, gate or merge)')
    .requiredOption('--html <file>', 'write the self-contained HTML report here; required')
    .action((file: string, opts: { html: string }) => {
      checkHtmlWritable(opts.html);
      const doc = readResultFile(file, 'report');
      writeHtmlReport(opts.html, isGateResult(doc) ? { kind: 'gate', run: doc.run, gate: doc } : reportInputOf(doc));
    });
}

import { rmSync } from 'node:fs';
import { badInput, describeError } from '../errors.ts';
import { revertRemoteFault } from '../faults/remote-controller-driver.ts';
import { describeFault } from '../faults/fault-spec.ts';
import { getJson } from '../observe/http-json.ts';
import { journalsIn, liveOwner, markUndone, pendingActions, type JournalEntry } from './revert-journal.ts';
import { removeSilence } from './silences.ts';

export interface ReplayOutcome {
  readonly reverted: string[];
  readonly failed: string[];
  /** Journals of game days still running: theirs to revert (Ctrl-C reverts everything). */
  readonly skipped: string[];
}

function describeAction(e: JournalEntry): string {
  return e.kind === 'fault' ? `fault ${describeFault(e.spec)} (${e.id} on ${e.controller})` : `silence '${e.tag}' on ${e.alertmanager}`;
}

async function undo(e: JournalEntry): Promise<string> {
  if (e.kind === 'fault') {
    const token = process.env[e.tokenEnv];
    if (!token) throw badInput(`revert: $${e.tokenEnv} is not set; export the fault controller's token in it (the journal names the variable, never the token)`);
    const outcome = await revertRemoteFault({ url: e.controller, token }, e.id);
    return outcome.gone ? 'already gone (its controller stopped, which reverts its faults)' : 'reverted';
  }
  const silences = await getJson<{ id: string; comment: string; status: { state: string } }[]>(`${e.alertmanager}/api/v2/silences`);
  const ours = silences.filter((s) => s.comment === e.tag && s.status.state !== 'expired');
  for (const s of ours) await removeSilence({ id: s.id, alertmanager: e.alertmanager });
  return ours.length ? `removed (${ours.length})` : 'already gone';
}

/**
 * `firedrill revert`: every action a game day journaled and did not undo (it crashed, or was
 * killed with SIGKILL), undone now, newest first. A journal whose actions are all undone is
 * removed; one with a failure stays for the next try.
 */
export async function replayJournals(dir?: string): Promise<ReplayOutcome> {
  const reverted: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  const files = journalsIn(dir).filter((file) => {
    const pid = liveOwner(file);
    if (pid !== undefined) skipped.push(`${file}: its game day (pid ${pid}) is still running; stop it with Ctrl-C, which reverts everything`);
    return pid === undefined;
  });
  // A missing token is bad input: said once, before anything is touched.
  for (const file of files) for (const e of pendingActions(file)) if (e.kind === 'fault' && !process.env[e.tokenEnv]) throw badInput(`revert: ${file}: $${e.tokenEnv} is not set; export the fault controller's token in it`);
  for (const file of files) {
    let left = 0;
    for (const e of pendingActions(file)) {
      try {
        reverted.push(`${describeAction(e)}: ${await undo(e)}`);
        markUndone(file, e.key);
      } catch (error) {
        left += 1;
        failed.push(`${describeAction(e)}: ${describeError(error)}`);
      }
    }
    if (left === 0) rmSync(file);
  }
  return { reverted, failed, skipped };
}

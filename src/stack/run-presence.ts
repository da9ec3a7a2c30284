import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onProcessExit } from '../on-process-exit.ts';
import { removeIfEmpty, unlinkQuietly, writeClaimFile } from './ledger-files.ts';
import { processAlive } from './process-tree.ts';

// Which processes of this user start stacks on this machine: an empty file per process, named by
// its pid, written at its first stack's start and removed on every exit path. The machine ledger
// (machine-budget.ts) lives in the temporary directory, and runs given temporary directories of
// their own (the test suite's, a user's per-job TMPDIR, a `--jobs` run that claims nothing) do not
// see each other there; they share the cores all the same. So this directory does not follow
// TMPDIR, and a run counts as alone on the machine only when no other live process is in it.

/** The machine's directory of runs starting stacks: `/tmp` whatever TMPDIR says (the Linux machines firedrill runs on all have it). */
export function defaultPresenceDir(): string {
  return path.join(process.platform === 'linux' ? '/tmp' : os.tmpdir(), `.firedrill-runs-${os.userInfo().uid}`);
}

const announced = new Set<string>();

/** Marks this process as starting stacks on the machine until it exits. Idempotent. */
export function announceRun(dir: string = defaultPresenceDir(), pid: number = process.pid): void {
  const file = path.join(dir, String(pid));
  if (announced.has(file)) return;
  announced.add(file);
  onProcessExit(() => {
    unlinkQuietly(file);
    removeIfEmpty(dir); // the last one out
  });
  writeClaimFile(dir, String(pid), 0o700);
  // What processes killed outright (SIGKILL) left goes with the next run that starts.
  otherRunsPresent(dir, pid);
}

/** Whether a live process other than `pid` has announced itself; what dead processes left is removed. */
export function otherRunsPresent(dir: string = defaultPresenceDir(), pid: number = process.pid, isAlive: (pid: number) => boolean = processAlive): boolean {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return false;
  }
  let others = false;
  for (const name of files) {
    const other = Number(name);
    if (!Number.isInteger(other) || other === pid) continue;
    if (isAlive(other)) others = true;
    else unlinkQuietly(path.join(dir, name));
  }
  return others;
}

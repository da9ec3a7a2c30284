import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { signalTree } from './process-tree.ts';

// Every child firedrill starts, so that no exit path (including a crash of firedrill
// itself) leaves one running. Signal handling with orderly teardown lives in the CLI.
const live = new Set<ChildProcess>();
let hooked = false;

/** Run directories to remove on every exit path, a second Ctrl-C included. */
const runDirs = new Set<string>();

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' handlers must be synchronous: a SIGKILL and a synchronous removal are all that can still be done.
  process.once('exit', () => {
    killAllChildrenNow();
    for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
  });
}

export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  hookExit();
}

/** Removes `dir` when the process exits, however it exits, unless `release`d first (kept on purpose, or already removed). */
export function trackRunDir(dir: string): { release(): void } {
  runDirs.add(dir);
  hookExit();
  return { release: () => runDirs.delete(dir) };
}

export function killAllChildrenNow(): void {
  for (const child of live) {
    // The whole tree: a PostgreSQL's backends, a wrapper script's real server.
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) signalTree(child.pid, 'SIGKILL');
  }
}

export function liveChildCount(): number {
  return live.size;
}

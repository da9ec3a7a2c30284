import type { ChildProcess } from 'node:child_process';

// Every child firedrill starts, so that no exit path (including a crash of firedrill
// itself) leaves one running. Signal handling with orderly teardown lives in the CLI.
const live = new Set<ChildProcess>();
let hooked = false;

export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    // 'exit' handlers must be synchronous: a SIGKILL is the only thing that can still be done.
    process.once('exit', killAllChildrenNow);
  }
}

export function killAllChildrenNow(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export function liveChildCount(): number {
  return live.size;
}

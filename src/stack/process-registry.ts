import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { onProcessExit } from '../on-process-exit.ts';
import { signalTree } from './process-tree.ts';

// Every child firedrill starts, so that no exit path (including a crash of firedrill
// itself) leaves one running. Signal handling with orderly teardown lives in the CLI.
const live = new Set<ChildProcess>();

/** Run directories to remove on every exit path, a second Ctrl-C included. */
const runDirs = new Set<string>();

// Children first, then their directories: a SIGKILL and a synchronous removal are all that can still be done.
function releaseAllNow(): void {
  killAllChildrenNow();
  for (const dir of runDirs) removeRunDirNow(dir);
}

export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  onProcessExit(releaseAllNow);
}

/** Removes `dir` when the process exits, however it exits, unless `release`d first (kept on purpose, or already removed). */
export function trackRunDir(dir: string): { release(): void } {
  runDirs.add(dir);
  onProcessExit(releaseAllNow);
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

/**
 * Removes a run directory at once, on a path with no time left. A simulated host's tmpfs mounted
 * inside it would make the removal fail (EBUSY) and leave the directory: it is detached first. One
 * directory that still cannot go must not keep the others, nor the exit hooks after this one.
 */
export function removeRunDirNow(dir: string): void {
  for (const mountpoint of mountsUnder(dir)) {
    try {
      execFileSync('umount', ['-l', mountpoint], { stdio: 'ignore' });
    } catch {
      // not ours to unmount, or gone: the removal below says what is left
    }
  }
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // nothing more can be done while exiting
  }
}

/** Mount points at or below `dir`, deepest first (from /proc/self/mounts, whose spaces are octal escapes). */
export function mountsUnder(dir: string): string[] {
  let table: string;
  try {
    table = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  return table
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((mountpoint): mountpoint is string => mountpoint !== undefined && (mountpoint === dir || mountpoint.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

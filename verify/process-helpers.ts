// What a test needs to prove that a run left no process behind: its descendants, and whether one still runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Every descendant pid of `pid`, read from ps. */
export function descendants(pid: number): number[] {
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter(Boolean);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Running, that is: exists and is not a zombie (an exited child that init has not reaped yet). */
export const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

// What a test needs to prove that a run left no process behind: its descendants, and whether one still runs.
import { readdirSync, readFileSync } from 'node:fs';

/** Parent of every process now, from one pass over /proc (a `ps` per process blocked the test's event loop for seconds). */
function parents(): Map<number, number> {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in parentheses may hold spaces and parentheses: the fields after it start at the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone between the listing and the read
    }
  }
  return parentOf;
}

/** Every descendant pid of each of `pids`, from one read of the process table. */
export function descendantsOfEach(pids: readonly number[]): Map<number, number[]> {
  const childrenOf = new Map<number, number[]>();
  for (const [pid, parent] of parents()) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), pid]);
  const below = (pid: number): number[] => (childrenOf.get(pid) ?? []).flatMap((child) => [child, ...below(child)]);
  return new Map(pids.map((pid) => [pid, below(pid)]));
}

/** Every descendant pid of `pid`. */
export function descendants(pid: number): number[] {
  return descendantsOfEach([pid]).get(pid)!;
}

/** Running, that is: exists and is not a zombie (an exited child that init has not reaped yet). */
export const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

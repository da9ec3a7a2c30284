// What a test needs to prove that a run left no process behind: its descendants, and whether one still runs.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * One process as a test saw it: its pid and its start time (clock ticks after boot, field 22 of
 * /proc/<pid>/stat). Pids wrap here at 32,768, and every thread of every process takes one: in a
 * busy suite a pid seen early in a test can belong to another process by its end. The pair names
 * one process for good.
 */
export interface ProcessSeen {
  readonly pid: number;
  readonly start: string;
}

/** The fields after the command name, which sits in parentheses and may hold spaces and parentheses. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone
  }
}

/** Parent and start time of every process now, from one pass over /proc (a `ps` per process blocked the test's event loop for seconds). */
function processTable(): Map<number, { parent: number; start: string }> {
  const table = new Map<number, { parent: number; start: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    // state ppid ... starttime: fields 3, 4 and 22 of the line, 0, 1 and 19 here
    if (fields) table.set(Number(entry), { parent: Number(fields[1]), start: fields[19]! });
  }
  return table;
}

/** Every descendant of each of `pids`, as seen in one read of the process table. */
export function descendantsSeenOfEach(pids: readonly number[]): Map<number, ProcessSeen[]> {
  const table = processTable();
  const childrenOf = new Map<number, number[]>();
  for (const [pid, { parent }] of table) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), pid]);
  const below = (pid: number): number[] => (childrenOf.get(pid) ?? []).flatMap((child) => [child, ...below(child)]);
  return new Map(pids.map((pid) => [pid, below(pid).map((child) => ({ pid: child, start: table.get(child)!.start }))]));
}

/** Every descendant of `pid`, as seen now. */
export function descendantsSeen(pid: number): ProcessSeen[] {
  return descendantsSeenOfEach([pid]).get(pid)!;
}

/** Every descendant pid of `pid`, for a test that acts on them at once (reads their command line, signals one). */
export function descendants(pid: number): number[] {
  return descendantsSeen(pid).map((seen) => seen.pid);
}

/** Running, that is: exists and is not a zombie (an exited child that init has not reaped yet). */
export const alive = (pid: number): boolean => {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z';
};

/** The process seen is still running: its pid is alive and still its own, not taken since by another. */
export const stillRunning = (seen: ProcessSeen): boolean => statFields(seen.pid)?.[19] === seen.start && alive(seen.pid);

/** Pid and command line of each, for a failure to name what was left. */
export function described(seen: readonly ProcessSeen[]): string[] {
  return seen.map(({ pid }) => {
    try {
      return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`;
    } catch {
      return `${pid} (gone)`;
    }
  });
}

/** A process killed as its run exits takes a moment to finish (its memory released, then gone); longer than this, it survived. */
const EXITING_MS = 5_000;

/**
 * Which of `seen` still run once their run has exited, each named with its command line. One
 * still on its way out (killed as the run exited: its memory being released, its command line
 * already empty) is waited for, up to a few seconds, not counted as left behind.
 */
export async function survivors(seen: readonly ProcessSeen[]): Promise<string[]> {
  const until = Date.now() + EXITING_MS;
  let left = seen.filter(stillRunning);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = left.filter(stillRunning);
  }
  return described(left);
}

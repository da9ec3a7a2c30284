import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { FaultSpec } from '../faults/fault-spec.ts';

/** Where game days keep their journals: `firedrill revert` reads every one left here. */
export const JOURNAL_DIR = '.firedrill/journal';

/** Something a game day changed on a stack it does not own, with what it takes to undo it from another process. */
export type JournalAction =
  | { readonly kind: 'fault'; readonly controller: string; readonly tokenEnv: string; readonly id: string; readonly spec: FaultSpec }
  /** A silence is found again by the tag in its comment: its id is known only once it exists. */
  | { readonly kind: 'silence'; readonly alertmanager: string; readonly tag: string };

export type JournalEntry = JournalAction & { readonly key: string; readonly at: string };

type JournalLine = JournalEntry | { readonly kind: 'undone'; readonly key: string; readonly at: string } | { readonly kind: 'owner'; readonly pid: number; readonly at: string };

/**
 * Every fault and silence of a game day, written to disk (and synced) before it is applied, and
 * marked undone once reverted: after a crash or a `kill -9` of the runner, `firedrill revert`
 * replays what is left. A journal with nothing left is removed.
 */
export class RevertJournal {
  readonly file: string;
  #next = 1;
  #open = 0;

  constructor(dir = JOURNAL_DIR, runId = `${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${runId}.jsonl`);
    // Whose journal it is: `firedrill revert` leaves a game day that still runs alone.
    this.#append({ kind: 'owner', pid: process.pid, at: new Date().toISOString() });
  }

  /** Records the action before it is taken; returns its key for `done`. */
  record(action: JournalAction): string {
    const key = String(this.#next++);
    this.#append({ ...action, key, at: new Date().toISOString() });
    this.#open += 1;
    return key;
  }

  done(key: string): void {
    this.#append({ kind: 'undone', key, at: new Date().toISOString() });
    this.#open -= 1;
  }

  /** Removes the journal when everything in it was undone; keeps it (for `firedrill revert`) otherwise, and says how many actions it holds. */
  close(): number {
    if (this.#open === 0 && existsSync(this.file)) rmSync(this.file);
    return this.#open;
  }

  #append(line: JournalLine): void {
    appendSynced(this.file, line);
  }
}

/** One line, on disk before this returns: the action it records may follow at once. */
function appendSynced(file: string, line: JournalLine): void {
  // A line a crash cut short must not swallow the next one: start on a line of its own.
  const cutShort = existsSync(file) && !readFileSync(file, 'utf8').endsWith('\n') && statSync(file).size > 0;
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, `${cutShort ? '\n' : ''}${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The actions of a journal not yet undone, newest first (the order to undo them in). */
export function pendingActions(file: string): JournalEntry[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const entries: JournalEntry[] = [];
  const undone = new Set<string>();
  for (const line of lines) {
    let parsed: JournalLine;
    try {
      parsed = JSON.parse(line) as JournalLine;
    } catch {
      continue; // a line cut short by the crash: its action was never applied
    }
    if (parsed.kind === 'undone') undone.add(parsed.key);
    else if (parsed.kind !== 'owner') entries.push(parsed);
  }
  return entries.filter((e) => !undone.has(e.key)).reverse();
}

/** Every journal a game day left in `dir`. */
export function journalsIn(dir = JOURNAL_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(dir, f));
}

/** Marks an action of a journal left by another process undone (`firedrill revert`). */
export function markUndone(file: string, key: string): void {
  appendSynced(file, { kind: 'undone', key, at: new Date().toISOString() });
}

/** The pid of the game day that wrote a journal, when it is still running (same machine); undefined once it is gone. */
export function liveOwner(file: string): number | undefined {
  const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
  let owner: { kind?: string; pid?: number };
  try {
    owner = JSON.parse(first) as { kind?: string; pid?: number };
  } catch {
    return undefined;
  }
  if (owner.kind !== 'owner' || typeof owner.pid !== 'number' || owner.pid === process.pid) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${owner.pid}/cmdline`, 'utf8');
    return cmdline.includes('firedrill') ? owner.pid : undefined; // a reused pid is not the game day
  } catch {
    return undefined;
  }
}

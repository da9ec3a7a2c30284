import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalsIn, markUndone, pendingActions, RevertJournal } from './revert-journal.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const kill = { kind: 'fault' as const, controller: 'http://127.0.0.1:7000', tokenEnv: 'TOKEN', id: 'gd1-1', spec: { target: 'api', kind: 'kill' } };
const latency = { ...kill, id: 'gd1-2', spec: { target: 'db', kind: 'latency', params: { ms: 500 } } };

describe('the revert journal', () => {
  it('is on disk before the action, and gone once every action was undone', () => {
    const dir = tempDir();
    const journal = new RevertJournal(dir, 'run1');
    const key = journal.record(kill);
    expect(pendingActions(journal.file)).toEqual([expect.objectContaining({ ...kill, key })]);
    journal.done(key);
    expect(pendingActions(journal.file)).toEqual([]);
    journal.close();
    expect(existsSync(journal.file)).toBe(false);
    expect(journalsIn(dir)).toEqual([]);
  });

  it('after a crash holds what was not undone, newest first, and ignores a line the crash cut short', () => {
    const dir = tempDir();
    const journal = new RevertJournal(dir, 'run2');
    const first = journal.record(kill);
    journal.record(latency);
    journal.record({ kind: 'silence', alertmanager: 'http://127.0.0.1:9093', tag: 'firedrill game day run2 drill x' });
    journal.done(first);
    appendFileSync(journal.file, '{"kind":"fault","controller":"http://127.0.0.1:7000","tok'); // the kill -9 came mid-write
    expect(journalsIn(dir)).toEqual([journal.file]);
    expect(pendingActions(journal.file).map((a) => (a.kind === 'fault' ? a.id : a.tag))).toEqual(['firedrill game day run2 drill x', 'gd1-2']);
    markUndone(journal.file, pendingActions(journal.file)[0]!.key);
    expect(pendingActions(journal.file).map((a) => a.kind)).toEqual(['fault']);
    expect(readFileSync(journal.file, 'utf8')).not.toContain('secret'); // the token itself is never written, only its variable's name
  });
});

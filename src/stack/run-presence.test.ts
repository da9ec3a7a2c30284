import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceRun, defaultPresenceDir, otherRunsPresent } from './run-presence.ts';

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'firedrill-presence-test-'));
  dir = path.join(root, 'runs');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs a script in a process of its own to its end; resolves with what it printed. */
function runScript(script: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(out));
  });
}

describe('run presence', () => {
  it('does not follow TMPDIR: runs with temporary directories of their own find each other', () => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = root;
    try {
      expect(defaultPresenceDir().startsWith(root)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('sees another live process, not itself, and removes what a dead one left', () => {
    mkdirSync(dir);
    writeFileSync(path.join(dir, '1001'), '');
    expect(otherRunsPresent(dir, 1001, () => true)).toBe(false);
    writeFileSync(path.join(dir, '1002'), '');
    expect(otherRunsPresent(dir, 1001, () => true)).toBe(true);
    expect(otherRunsPresent(dir, 1001, (pid) => pid !== 1002)).toBe(false);
    expect(readdirSync(dir)).toEqual(['1001']);
    expect(otherRunsPresent(path.join(root, 'none'), 1001, () => true)).toBe(false);
  });

  it('is announced by a process until it exits, and its directory goes with the last one out', async () => {
    const module = path.resolve('src/stack/run-presence.ts');
    const seen = await runScript(
      `import { announceRun, otherRunsPresent } from ${JSON.stringify(module)};
       import { readdirSync } from 'node:fs';
       announceRun(${JSON.stringify(dir)}); announceRun(${JSON.stringify(dir)});
       console.log(JSON.stringify(readdirSync(${JSON.stringify(dir)})), otherRunsPresent(${JSON.stringify(dir)}));
       process.exit(0);`,
    );
    const [files, others] = seen.trim().split(' ');
    expect(JSON.parse(files!)).toHaveLength(1);
    expect(others).toBe('false');
    expect(existsSync(dir)).toBe(false);
    // Announced here, this process is another run to a process reading the directory; announcing
    // removes what a process killed outright left.
    mkdirSync(dir);
    writeFileSync(path.join(dir, '2147483646'), '');
    announceRun(dir);
    expect(readdirSync(dir)).toEqual([String(process.pid)]);
    expect(otherRunsPresent(dir, process.pid + 1_000_000, (pid) => pid === process.pid)).toBe(true);
  });
});

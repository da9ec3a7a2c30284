import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelperProcess } from './helper-process.ts';
import { waitFor } from './stack/wait-for.ts';
import { alive } from '../verify/process-helpers.ts';

/** An entry's opening: its end of the channel, for numbers in and anything out. */
const ECHO_PORT = `import { helperPort } from ${JSON.stringify(path.resolve('src/helper-port.ts'))};\nconst port = helperPort<number, unknown>('entry.ts');\n`;

describe('HelperProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-helper-process-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a TypeScript entry and what it imports with no loader, after the requests posted while it was bundled, in order', async () => {
    writeFileSync(path.join(dir, 'double.ts'), 'export const double = (n: number): number => n * 2;\n');
    // `require.extensions` has no `.ts` unless a TypeScript loader is registered in the thread.
    writeFileSync(
      path.join(dir, 'entry.ts'),
      `${ECHO_PORT}import { double } from './double.ts';
const loader = typeof require === 'function' && '.ts' in require.extensions;
port.onRequest((n: number) => port.reply({ doubled: double(n), loader }));
`,
    );
    const replies: unknown[] = [];
    let gone: Error | undefined;
    const all = new Promise<void>((resolve) => {
      const thread = new HelperProcess<number, unknown>(
        pathToFileURL(path.join(dir, 'entry.ts')),
        (reply) => {
          replies.push(reply);
          if (replies.length === 3) {
            thread.terminate();
            resolve();
          }
        },
        (cause) => (gone = cause),
      );
      for (const n of [1, 2, 3]) thread.post(n);
      // Refused now, as postMessage would refuse it, not lost in the queue.
      expect(() => thread.post((() => 4) as unknown as number)).toThrow(/could not be cloned/);
    });
    await all;
    expect(replies).toEqual([1, 2, 3].map((n) => ({ doubled: n * 2, loader: false })));
    expect(gone).toBeUndefined();
  });

  it('says it is gone, and why, when its code does not bundle; refuses requests after; a later thread bundles again', async () => {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(entry, "import './missing.ts';\n");
    let thread!: HelperProcess<number, unknown>;
    const cause = await new Promise<Error>((resolve) => {
      thread = new HelperProcess<number, unknown>(pathToFileURL(entry), () => undefined, resolve);
      thread.post(1);
    });
    expect(cause.message).toMatch(/^its code did not bundle: .*entry\.ts:1: Could not resolve "\.\/missing\.ts"/);
    expect(() => thread.post(2)).toThrow('the helper process is gone');
    // Mended meanwhile: the failure was not kept for the process's later threads.
    writeFileSync(entry, `${ECHO_PORT}port.onRequest((n) => port.reply(n + 1));\n`);
    const reply = await new Promise<unknown>((resolve, reject) => {
      const mended = new HelperProcess<number, unknown>(pathToFileURL(entry), (r) => (mended.terminate(), resolve(r)), reject);
      mended.post(41);
    });
    expect(reply).toBe(42);
  });

  it('is gone at once, with what was queued, when stopped before it loaded', async () => {
    writeFileSync(path.join(dir, 'entry.ts'), `${ECHO_PORT}port.onRequest((n) => port.reply(n));\n`);
    const replies: unknown[] = [];
    const causes: Error[] = [];
    const thread = new HelperProcess<number, unknown>(pathToFileURL(path.join(dir, 'entry.ts')), (r) => replies.push(r), (cause) => causes.push(cause));
    thread.post(1);
    thread.terminate();
    expect(causes.map((c) => c.message)).toEqual(['it was stopped before it loaded']);
    expect(() => thread.post(2)).toThrow('the helper process is gone');
    // A second thread of the same code: once it answers, the bundle both wait on has come, and the first did nothing with it.
    const reply = await new Promise<unknown>((resolve, reject) => {
      const second = new HelperProcess<number, unknown>(pathToFileURL(path.join(dir, 'entry.ts')), (r) => (second.terminate(), resolve(r)), reject);
      second.post(7);
    });
    expect(reply).toBe(7);
    expect(replies).toEqual([]);
    expect(causes).toHaveLength(1);
  });

  describe('ends with the process that started it', () => {
    /**
     * A process that starts a helper (an echo that blocks in a child of its own on -1: a helper no
     * signal of Node's can stop, as a worker thread in that state could not be stopped) and, once
     * the helper has answered its first request, ends as `then` says. Its stdout, its helper's pid
     * and how it ended.
     */
    async function startedWithHelper(then: 'drain' | 'exit-while-helper-blocked' | 'live' | 'sigint') {
      const entry = path.join(dir, 'entry.ts');
      const blocked = path.join(dir, 'blocked.pid');
      writeFileSync(
        entry,
        `import { spawnSync } from 'node:child_process';\n${ECHO_PORT}port.onRequest((n) => (n === -1 ? spawnSync('/bin/sh', ['-c', ${JSON.stringify(`echo $$ > ${blocked}; exec sleep 60`)}]) : port.reply([n, process.pid])));\n`,
      );
      const script = `import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HelperProcess } from ${JSON.stringify(path.resolve('src/helper-process.ts'))};
const then = ${JSON.stringify(then)};
// A helper holds no process open: its caller does, while it waits for the answer.
const waiting = setTimeout(() => undefined, 20_000);
const helper = new HelperProcess(pathToFileURL(${JSON.stringify(entry)}), ([n, pid]) => {
  clearTimeout(waiting);
  process.stdout.write('answered ' + n + ' from ' + pid + '\\n');
  if (n === 2) process.exit(130);
  if (then === 'exit-while-helper-blocked') {
    helper.post(-1);
    const blocked = setInterval(() => existsSync(${JSON.stringify(blocked)}) && process.exit(3), 10);
  }
  if (then === 'live' || then === 'sigint') setInterval(() => undefined, 1_000);
}, (cause) => process.stdout.write('gone: ' + cause.message + '\\n'));
if (then === 'sigint') process.on('SIGINT', () => helper.post(2));
helper.post(1);`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      const helperPid = await waitFor(
        'the helper to answer',
        async () => {
          const pid = /^answered 1 from (\d+)$/m.exec(stdout)?.[1];
          return pid ? { value: Number(pid), seen: '' } : { seen: `stdout ${JSON.stringify(stdout)}` };
        },
        { timeoutMs: 15_000, pollMs: 20 },
      );
      return { child, helperPid, ended, blocked, stdout: () => stdout };
    }

    it('is not running once that process has exited: by draining, or by exit while the helper is blocked (not waited for)', async () => {
      const drained = await startedWithHelper('drain');
      // An idle helper holds nothing: the loop drains and the process exits on its own.
      expect(await drained.ended).toEqual({ code: 0, signal: null });
      expect(alive(drained.helperPid)).toBe(false);

      const exited = await startedWithHelper('exit-while-helper-blocked');
      try {
        // Its exit code, not a watchdog's kill nor a wait for the helper's minute-long block.
        expect(await exited.ended).toEqual({ code: 3, signal: null });
        expect(alive(exited.helperPid)).toBe(false);
      } finally {
        if (existsSync(exited.blocked)) process.kill(Number(readFileSync(exited.blocked, 'utf8')), 'SIGKILL');
      }
    });

    it('ends by itself when that process is killed, and outlasts a Ctrl-C to the process group that process handles', async () => {
      const killed = await startedWithHelper('live');
      killed.child.kill('SIGKILL');
      expect(await killed.ended).toEqual({ code: null, signal: 'SIGKILL' });
      await waitFor('the helper to end with its channel', async () => (alive(killed.helperPid) ? { seen: 'still running' } : { value: true, seen: '' }), { timeoutMs: 10_000, pollMs: 20 });

      const interrupted = await startedWithHelper('sigint');
      // As a terminal's Ctrl-C: to every process of the group, the helper too.
      process.kill(-interrupted.child.pid!, 'SIGINT');
      expect(await interrupted.ended).toEqual({ code: 130, signal: null });
      expect(interrupted.stdout()).toBe(`answered 1 from ${interrupted.helperPid}\nanswered 2 from ${interrupted.helperPid}\n`);
      expect(alive(interrupted.helperPid)).toBe(false);
    });
  });
});

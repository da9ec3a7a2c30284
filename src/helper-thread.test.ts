import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelperThread } from './helper-thread.ts';

describe('HelperThread', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-helper-thread-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a TypeScript entry and what it imports with no loader, after the requests posted while it was bundled, in order', async () => {
    writeFileSync(path.join(dir, 'double.ts'), 'export const double = (n: number): number => n * 2;\n');
    // `require.extensions` has no `.ts` unless a TypeScript loader is registered in the thread.
    writeFileSync(
      path.join(dir, 'entry.ts'),
      `import { parentPort } from 'node:worker_threads';
import { double } from './double.ts';
const loader = typeof require === 'function' && '.ts' in require.extensions;
parentPort!.on('message', (n: number) => parentPort!.postMessage({ doubled: double(n), loader }));
`,
    );
    const replies: unknown[] = [];
    let gone: Error | undefined;
    const all = new Promise<void>((resolve) => {
      const thread = new HelperThread<number, unknown>(
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
    let thread!: HelperThread<number, unknown>;
    const cause = await new Promise<Error>((resolve) => {
      thread = new HelperThread<number, unknown>(pathToFileURL(entry), () => undefined, resolve);
      thread.post(1);
    });
    expect(cause.message).toMatch(/^its code did not bundle: .*entry\.ts:1: Could not resolve "\.\/missing\.ts"/);
    expect(() => thread.post(2)).toThrow('the thread is gone');
    // Mended meanwhile: the failure was not kept for the process's later threads.
    writeFileSync(entry, "import { parentPort } from 'node:worker_threads';\nparentPort!.on('message', (n: number) => parentPort!.postMessage(n + 1));\n");
    const reply = await new Promise<unknown>((resolve, reject) => {
      const mended = new HelperThread<number, unknown>(pathToFileURL(entry), (r) => (mended.terminate(), resolve(r)), reject);
      mended.post(41);
    });
    expect(reply).toBe(42);
  });

  it('is gone at once, with what was queued, when stopped before it loaded', async () => {
    writeFileSync(path.join(dir, 'entry.ts'), "import { parentPort } from 'node:worker_threads';\nparentPort!.on('message', (n: number) => parentPort!.postMessage(n));\n");
    const replies: unknown[] = [];
    const causes: Error[] = [];
    const thread = new HelperThread<number, unknown>(pathToFileURL(path.join(dir, 'entry.ts')), (r) => replies.push(r), (cause) => causes.push(cause));
    thread.post(1);
    thread.terminate();
    expect(causes.map((c) => c.message)).toEqual(['it was stopped before it loaded']);
    expect(() => thread.post(2)).toThrow('the thread is gone');
    // A second thread of the same code: once it answers, the bundle both wait on has come, and the first did nothing with it.
    const reply = await new Promise<unknown>((resolve, reject) => {
      const second = new HelperThread<number, unknown>(pathToFileURL(path.join(dir, 'entry.ts')), (r) => (second.terminate(), resolve(r)), reject);
      second.post(7);
    });
    expect(reply).toBe(7);
    expect(replies).toEqual([]);
    expect(causes).toHaveLength(1);
  });
});

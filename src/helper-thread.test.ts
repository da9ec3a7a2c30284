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

  it('says it is gone, and why, when its code does not bundle', async () => {
    writeFileSync(path.join(dir, 'entry.ts'), "import './missing.ts';\n");
    const cause = await new Promise<Error>((resolve) => {
      const thread = new HelperThread<number, unknown>(pathToFileURL(path.join(dir, 'entry.ts')), () => undefined, resolve);
      thread.post(1);
    });
    expect(cause.message).toMatch(/^its code did not bundle: .*missing\.ts/);
  });
});

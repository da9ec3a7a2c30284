import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliBundle } from '../../bin/cli-bundle.mjs';

let root: string;
const cacheDir = () => path.join(root, 'node_modules', '.cache', 'firedrill-cli');
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'firedrill-cli-bundle-test-'));
  mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(path.join(root, 'src', 'engine'));
  // A CLI whose modules find files beside their own sources, as firedrill's do (its threads' entries).
  writeFileSync(path.join(root, 'src', 'engine', 'entry.ts'), "export const entry: string = new URL('./thread.ts', import.meta.url).href;\n");
  writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), "export { entry } from '../engine/entry.ts';\nexport const version: number = 1;\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('cliBundle', () => {
  it('bundles the CLI once, keeping each module\'s own import.meta.url, and again when a source changes', async () => {
    const first = await cliBundle(root);
    expect(first).toMatch(/\/node_modules\/\.cache\/firedrill-cli\/main-[0-9a-f]{16}\.mjs$/);
    const loaded = (await import(first!)) as { entry: string; version: number };
    expect(loaded).toMatchObject({ version: 1, entry: pathToFileURL(path.join(root, 'src', 'engine', 'thread.ts')).href });

    const builtAt = statSync(new URL(first!)).mtimeMs;
    expect(await cliBundle(root)).toBe(first);
    expect(statSync(new URL(first!)).mtimeMs).toBe(builtAt); // kept, not built again

    const main = path.join(root, 'src', 'cli', 'main.ts');
    writeFileSync(main, "export { entry } from '../engine/entry.ts';\nexport const version: number = 2;\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(main, later, later);
    const second = await cliBundle(root);
    expect(second).not.toBe(first);
    expect(((await import(second!)) as { version: number }).version).toBe(2);
    expect(readdirSync(cacheDir())).toEqual([path.basename(new URL(second!).pathname)]); // the old bundle is gone
  });

  it('answers undefined where no bundle can be kept or built, so that the CLI loads from its sources', async () => {
    writeFileSync(path.join(root, 'node_modules'), 'not a directory');
    expect(await cliBundle(root)).toBeUndefined();
    rmSync(path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'src', 'cli', 'main.ts'), 'export const broken = ;\n');
    expect(await cliBundle(root)).toBeUndefined();
    expect(readdirSync(cacheDir()).filter((name) => name.endsWith('.mjs'))).toEqual([]);
  });
});

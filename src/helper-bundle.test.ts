import { existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleKeptOnDisk, keptAt } from './helper-bundle.ts';

let dir: string;
let entry: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-helper-bundle-'));
  entry = path.join(dir, 'entry.ts');
  writeFileSync(entry, "import { word } from './dep.ts';\nconsole.log(word);\n");
  writeFileSync(path.join(dir, 'dep.ts'), "export const word: string = 'first';\n");
});
afterEach(() => {
  rmSync(keptAt(entry), { force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('bundleKeptOnDisk', () => {
  it('bundles a helper\'s code once and keeps it, and bundles again when a file it imports changes', async () => {
    const first = await bundleKeptOnDisk(entry);
    expect(first).toContain('"first"');
    const keptSince = statSync(keptAt(entry)).mtimeMs;
    expect(await bundleKeptOnDisk(entry)).toBe(first);
    expect(statSync(keptAt(entry)).mtimeMs).toBe(keptSince); // read, not made again

    const dep = path.join(dir, 'dep.ts');
    writeFileSync(dep, "export const word: string = 'second';\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(dep, later, later);
    const second = await bundleKeptOnDisk(entry);
    expect(second).toContain('"second"');
    expect(second).not.toContain('"first"');
  });

  it('rejects code that does not bundle, and keeps nothing of it', async () => {
    writeFileSync(path.join(dir, 'dep.ts'), 'export const word = ;\n');
    await expect(bundleKeptOnDisk(entry)).rejects.toThrow();
    expect(existsSync(keptAt(entry))).toBe(false);
  });
});

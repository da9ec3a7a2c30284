import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importDefault } from './import-default.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-import-default-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('importDefault', () => {
  it('unwraps a default export compiled to CommonJS (module.exports.default beside __esModule)', async () => {
    const file = path.join(dir, 'config.cjs');
    writeFileSync(file, 'Object.defineProperty(exports, "__esModule", { value: true });\nexports.default = { systems: {} };\n');
    expect(await importDefault(file)).toEqual({ systems: {} });
  });

  it('takes an ES module\'s default export as it is, and a CommonJS module without the flag whole', async () => {
    writeFileSync(path.join(dir, 'config.mjs'), 'export default { default: 1, scenarios: "s" };\n');
    expect(await importDefault(path.join(dir, 'config.mjs'))).toEqual({ default: 1, scenarios: 's' });
    writeFileSync(path.join(dir, 'plain.cjs'), 'module.exports = { default: 2 };\n');
    expect(await importDefault(path.join(dir, 'plain.cjs'))).toEqual({ default: 2 });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSystem } from '../compile/compile-system.ts';
import { resolveConfig } from '../config/load-config.ts';
import config from '../../firedrill.config.ts';
import { loadScenarios } from './load-scenarios.ts';

const systems = new Map(resolveConfig(config, path.resolve('firedrill.config.ts')).systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (fields: string) =>
  `export default { name: 'x', system: 'piyasa', duration: '10m', traffic: [], faults: [], expect: [{ kind: 'doesNotFire', alert: 'WorkerDown' }], ${fields} };\n`;

describe('loadScenarios', () => {
  it('names every broken file at once: one must not hide the next', async () => {
    writeFileSync(path.join(dir, 'a-typo.ts'), scenario("name: 'a', hodl: '1m'"));
    writeFileSync(path.join(dir, 'b-alert.ts'), scenario("name: 'b', expect: [{ kind: 'fires', alert: 'APIDwon' }]"));
    writeFileSync(path.join(dir, 'c-fine.ts'), scenario("name: 'c'"));
    const error = await loadScenarios(dir, systems).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/a-typo\.ts: .*hodl/);
    expect(message).toMatch(/b-alert\.ts: expect\[0\]\.alert: no alert 'APIDwon'/);
    expect(message).not.toContain('c-fine.ts');
    expect(message).not.toContain('\n');
  });
});

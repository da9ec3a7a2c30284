// The mutations must really edit the compiled config: a mutation whose target text moved (a
// rewritten expr, a renamed job) would silently become a no-op and the mutation test would then
// be checking nothing. No stack runs here; the written files are compared.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSystem, writeCompiledSystem, type CompiledMutations } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { combineMutations, PIYASA_MUTATIONS } from './piyasa-mutations.ts';

const config = await loadConfig('firedrill.config.ts');

/** Every written file of a fresh compile , keyed by name. */
function written(mutations?: CompiledMutations): Map<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-mutation-'));
  const compiled = compileSystem(config.systems[0]!, 'auto', mutations);
  writeCompiledSystem(compiled, { scrapeAddresses: new Map([['piyasa-chatbot-api', '127.0.0.1:1'], ['piyasa-chatbot-worker', '127.0.0.1:2']]), alertmanagerPort: 3, sinkUrl: 'http://127.0.0.1:4' }, dir);
  const files = ['prometheus.yml', 'alertmanager.yml', ...readdirSync(path.join(dir, 'rules')).map((f) => path.join('rules', f))];
  // The rule file paths inside prometheus.yml name the temporary directory; take it out.
  const texts = new Map(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8').replaceAll(dir, '<dir>')]));
  rmSync(dir, { recursive: true, force: true });
  return texts;
}

const changedFiles = (mutated: Map<string, string>, pristine: Map<string, string>) => [...mutated].filter(([f, text]) => pristine.get(f) !== text).map(([f]) => f);

describe('the Piyasa mutations', () => {
  const pristine = written();

  it.each(PIYASA_MUTATIONS.map((m) => [m.name, m] as const))('%s changes the compiled config, in one file', (_name, mutation) => {
    expect(changedFiles(written(mutation.apply), pristine)).toHaveLength(1);
  });

  it('each breaks a different alert', () => {
    expect(new Set(PIYASA_MUTATIONS.map((m) => m.breaks)).size).toBe(PIYASA_MUTATIONS.length);
  });

  it('combined, each still makes its edit: leaving any one out changes the result', () => {
    const combined = written(combineMutations(PIYASA_MUTATIONS));
    expect(changedFiles(combined, pristine).length).toBeGreaterThan(1);
    for (const mutation of PIYASA_MUTATIONS) {
      const withoutIt = written(combineMutations(PIYASA_MUTATIONS.filter((m) => m !== mutation)));
      expect(changedFiles(combined, withoutIt), mutation.name).toHaveLength(1);
    }
  });
});

// Runs the whole gate once per mutation of verify/piyasa-mutations.ts, each alone, and prints
// whether the gate failed (exit 1), named the broken alert, and left every other verdict intact.
// The suite runs all of them in one gate run (`--combined --json FILE`, what verify/ reads);
// this is the one-by-one proof.
// Usage: npm run gate:mutations -- [mutation names] [--jobs N]   (about a minute per mutation)
//        npm run gate:mutations -- --combined --json FILE [--jobs N]
// Each one-by-one run's gate JSON is kept in .firedrill/mutations/<mutation>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installSignalHandlers } from '../src/cli/signals.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { runGate } from '../src/gate/run-gate.ts';

import { failedExpectations } from '../src/report/run-result.ts';
import { combineMutations, PIYASA_MUTATIONS } from '../verify/piyasa-mutations.ts';

// As the CLI does (bin/firedrill.mjs): exit as soon as nothing is pending, not through Node's teardown
// at a natural exit, which was seen spinning forever after a gate had written its result.
process.once('beforeExit', () => process.exit());

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { combined: { type: 'boolean', default: false }, json: { type: 'string' }, jobs: { type: 'string' } },
});
const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
  console.error(`mutation-gate: --jobs ${values.jobs} is not a number of stacks; use a whole number >= 1`);
  process.exit(2);
}
if (values.combined && !values.json) {
  console.error('mutation-gate: --combined needs --json FILE, where the gate result goes');
  process.exit(2);
}
const unknown = positionals.filter((name) => !PIYASA_MUTATIONS.some((m) => m.name === name));
if (unknown.length > 0) {
  console.error(`mutation-gate: no mutation ${unknown.join(', ')}; choose from ${PIYASA_MUTATIONS.map((m) => m.name).join(', ')}`);
  process.exit(2);
}
const chosen = positionals.length > 0 ? PIYASA_MUTATIONS.filter((m) => positionals.includes(m.name)) : PIYASA_MUTATIONS;

const OUT_DIR = '.firedrill/mutations';
const config = await loadConfig('firedrill.config.ts');
// Ctrl-C reverts faults and stops the stack, as in `firedrill gate`.
const abort = installSignalHandlers();
// The mutations break the Piyasa fixture's config: only its drills can notice.
const gateOptions = { config, systems: ['piyasa'], scale: 'auto', engine: 'builtin', minAlertCoverage: 100, minInhibitionCoverage: 100, jobs, signal: abort.signal } as const;
if (values.combined) {
  const gate = await runGate({ ...gateOptions, mutations: combineMutations(chosen) });
  writeFileSync(values.json!, `${JSON.stringify(gate, null, 2)}\n`);
  const failed = new Set(failedExpectations(gate.run).map((e) => e.alert));
  console.log(`${chosen.length} mutations in one gate run: exit ${gate.ok ? 0 : 1} in ${gate.wallSeconds}s; broken alerts named: ${chosen.filter((m) => failed.has(m.breaks)).length}/${chosen.length}; JSON: ${values.json}`);
}
let caught = 0;
for (const mutation of values.combined ? [] : chosen) {
  const gate = await runGate({ ...gateOptions, mutations: mutation.apply });
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${OUT_DIR}/${mutation.name}.json`, `${JSON.stringify(gate, null, 2)}\n`);
  const failures = failedExpectations(gate.run).map((e) => ({ alert: e.alert, text: `${e.scenario}: ${e.description}`, detail: e.detail }));
  const named = failures.filter((f) => f.alert === mutation.breaks);
  const others = failures.filter((f) => f.alert !== mutation.breaks);
  const contract = gate.systems.flatMap((s) => s.contract?.findings ?? []).map((f) => f.message);
  const ok = !gate.ok && named.length > 0 && others.length === 0;
  if (ok) caught += 1;
  console.log(
    [
      `${ok ? 'CAUGHT' : 'MISSED'}  ${mutation.name} (${mutation.what}): gate exit ${gate.ok ? 0 : 1} in ${gate.wallSeconds}s`,
      `  names ${mutation.breaks}: ${named.length > 0 ? named.map((f) => f.text).join('; ') : 'no'}`,
      `  other failed expectations: ${others.length > 0 ? others.map((f) => `${f.text} (${f.detail})`).join('; ') : 'none'}`,
      ...(contract.length > 0 ? [`  metric contract: ${contract.join('; ')}`] : []),
    ].join('\n'),
  );
}
if (!values.combined) {
  console.log(`caught ${caught}/${chosen.length}: gate failed, named the broken alert and nothing else`);
  process.exitCode = caught === chosen.length ? 0 : 1;
}

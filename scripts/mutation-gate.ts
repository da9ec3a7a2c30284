// Runs the whole gate once per mutation of verify/piyasa-mutations.ts, each alone, and prints
// whether the gate failed (exit 1), named the broken alert, and left every other verdict intact.
// The suite runs all seven in one gate run to fit CI's budget; this is the one-by-one proof.
// Usage: npm run gate:mutations -- [mutation names]   (about 8 minutes per mutation)
// Each run's gate JSON is kept in .firedrill/mutations/<mutation>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installSignalHandlers } from '../src/cli/signals.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { runGate } from '../src/gate/run-gate.ts';
import { failedExpectations } from '../src/report/run-result.ts';
import { PIYASA_MUTATIONS } from '../verify/piyasa-mutations.ts';

const { positionals } = parseArgs({ allowPositionals: true });
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
let caught = 0;
for (const mutation of chosen) {
  const gate = await runGate({ config, scale: 'auto', engine: 'builtin', minAlertCoverage: 100, minInhibitionCoverage: 100, mutations: mutation.apply, signal: abort.signal });
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
console.log(`caught ${caught}/${chosen.length}: gate failed, named the broken alert and nothing else`);
process.exitCode = caught === chosen.length ? 0 : 1;

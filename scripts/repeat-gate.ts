// Runs the gate N times in a row (default 5) and prints each run's verdict and wall time, then
// the pass count: the "never cries wolf" figure. Usage: npm run gate:repeat -- [runs] [gate flags]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GateResult } from '../src/gate/run-gate.ts';
import { failedExpectations } from '../src/report/run-result.ts';

const [runsArg, ...gateFlags] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`repeat-gate: '${runsArg}' is not a run count; use a whole number >= 1`);
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-repeat-'));
console.log(`gate JSON of each run: ${dir}/gate-<run>.json`);
let passed = 0;
for (let i = 1; i <= runs; i++) {
  const json = path.join(dir, `gate-${i}.json`);
  const run = spawnSync(process.execPath, ['bin/firedrill.mjs', 'gate', '--json', json, ...gateFlags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status === 2 || run.status === null) {
    console.error(run.stderr.trim().split('\n').at(-1));
    process.exit(2);
  }
  const gate = JSON.parse(readFileSync(json, 'utf8')) as GateResult;
  const failures = failedExpectations(gate.run).map((e) => `${e.scenario}: ${e.description} (${e.detail})`);
  if (gate.ok) passed += 1;
  console.log(`run ${i}: ${gate.ok ? 'PASS' : 'FAIL'} in ${gate.wallSeconds}s${failures.length ? `; failed: ${failures.join('; ')}` : ''}`);
}
console.log(`passed ${passed}/${runs}`);
process.exitCode = passed === runs ? 0 : 1;

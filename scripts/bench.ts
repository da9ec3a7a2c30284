// Benchmark of the gate: runs `firedrill gate` as a child process (extra flags pass through, e.g.
// --scale 40 --jobs 8) and prints the numbers we track: gate wall seconds, total CPU seconds of
// every process it started, peak memory of all of them together, per drill the wall time, stack
// ready time and each alert's timing error (firingAt - pendingAt - scaled for), and the speed-up
// over real time (rule time of all drills / gate wall time).
// Usage: npm run bench -- [--runs N] [gate flags]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { childrenCpuSeconds, runsAndFlags } from './bench-kit.ts';
import { parseDurationMs } from '../src/duration.ts';
import type { GateResult } from '../src/gate/run-gate.ts';
import { describeTimings } from '../src/report/system-timing.ts';
import { traceName } from '../src/report/trace-name.ts';
import { timingErrorMs } from '../src/report/timing-error.ts';
import { loadDrills } from '../src/scenario/run-drills.ts';

const { runs, flags: gateFlags } = runsAndFlags('bench', 1);

const config = await loadConfig();
const { all } = await loadDrills({ config, scenarioNames: [], scale: 'auto' });
const ruleSeconds = new Map(all.map((l) => [l.scenario.name, parseDurationMs(l.scenario.duration, 'duration') / 1000]));
/** Resident memory of a process and all its descendants, from /proc. */
function treeRssBytes(root: number): number {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }).stdout;
  const rows = ps.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number)) as [number, number, number][];
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) if (inTree.has(ppid) && !inTree.has(pid)) (inTree.add(pid), (grew = true));
  }
  return rows.filter(([pid]) => inTree.has(pid)).reduce((sum, [, , rssKb]) => sum + rssKb * 1024, 0);
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average before: ${loadAverage()}`);
for (let run = 1; run <= runs; run++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-bench-'));
  const json = path.join(dir, 'gate.json');
  const cpuBefore = childrenCpuSeconds();
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['bin/firedrill.mjs', 'gate', '--json', json, ...gateFlags], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let peakBytes = 0;
  const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, treeRssBytes(child.pid!))), 250);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  const wallSeconds = (Date.now() - startedAt) / 1000;
  const cpuSeconds = childrenCpuSeconds() - cpuBefore;
  if (code === 2 || code === null) {
    console.error(`bench: the gate exited ${code}: ${stderr.trim().split('\n').at(-1)}`);
    process.exit(2);
  }
  const gate = JSON.parse(readFileSync(json, 'utf8')) as GateResult;
  rmSync(dir, { recursive: true, force: true });
  const ruleTotal = gate.run.scenarios.reduce((sum, s) => sum + (ruleSeconds.get(s.name) ?? 0), 0);
  console.log(`\nrun ${run}: gate ${gate.ok ? 'PASS' : 'FAIL'} (exit ${code})`);
  console.log(`  gate wall        ${wallSeconds.toFixed(1)} s (the gate's own figure: ${gate.wallSeconds} s)`);
  console.log(`  total CPU        ${cpuSeconds.toFixed(1)} s (${(cpuSeconds / wallSeconds).toFixed(2)} cores on average)`);
  console.log(`  peak memory      ${(peakBytes / 2 ** 20).toFixed(0)} MiB, all processes together`);
  console.log(`  pool             ${gate.run.pool?.jobs} stacks at once, ${gate.run.pool?.stacks} stacks; measured per stack: ${Object.entries(gate.run.pool?.measuredStackCosts ?? {}).map(([system, cost]) => `${system} ${cost.cpuCores} cores`).join(', ')}`);
  console.log(`  timing           ${describeTimings(gate.run)}`);
  console.log(`  rule time        ${(ruleTotal / 60).toFixed(1)} min in ${gate.run.scenarios.length} drills: ${(ruleTotal / wallSeconds).toFixed(0)}x faster than real time`);
  console.log(`  load average     ${loadAverage()}`);
  console.log('  drill                    wall_s  ready_s  alert                                              timing_error_ms');
  let worst = 0;
  let missedTotal = 0;
  for (const s of gate.run.scenarios) {
    const wall = ((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1);
    const fired = s.alerts.filter((a) => timingErrorMs(a) !== undefined);
    const rows = fired.length > 0 ? fired : [undefined];
    for (const a of rows) {
      const error = a ? timingErrorMs(a) : undefined;
      if (error !== undefined) worst = Math.max(worst, Math.abs(error));
      const label = a ? traceName(a) : '-';
      const missed = a?.missedEvaluationsAtFiring ?? 0;
      if (missed > 0) missedTotal += missed;
      console.log(`  ${s.name.padEnd(24)} ${wall.padStart(6)}  ${String(s.stackReadySeconds ?? '-').padStart(7)}  ${label.padEnd(50)} ${error ?? '-'}${missed > 0 ? ` (after ${missed} evaluations Prometheus missed)` : ''}`);
    }
  }
  console.log(`  largest timing error: ${worst} ms; evaluations Prometheus missed when an alert was due: ${missedTotal}`);
  // A failed gate's figures are not the record: say what failed, so that the run can be judged.
  for (const s of gate.run.scenarios) for (const e of s.expectations) if (!e.ok) console.log(`  FAIL ${s.name}: ${e.description}: ${e.detail ?? ''}`);
  for (const system of gate.systems) {
    const findings = { static: system.static.length, contract: system.contract?.findings.length ?? 0, dashboards: system.dashboards?.findings.length ?? 0 };
    for (const [stage, count] of Object.entries(findings)) if (count > 0) console.log(`  FAIL ${system.system} ${stage}: ${count} finding(s) (the gate's own output names them)`);
    if (system.alertCoverage.percent < gate.minAlertCoverage) console.log(`  FAIL ${system.system} alert coverage ${system.alertCoverage.percent}%`);
    if (system.inhibitionCoverage.percent < gate.minInhibitionCoverage) console.log(`  FAIL ${system.system} inhibition coverage ${system.inhibitionCoverage.percent}%`);
  }
}

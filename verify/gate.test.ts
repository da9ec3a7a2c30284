// The CI gate on the fixtures, run once by the global setup: every stage passes, coverage is
// 100%, the JUnit report has a testcase per expectation; and each scenario (api-outage has its
// own file) is re-checked with the firedrill matchers, one test per scenario.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import type { Expectation } from '../src/expect/expectation.ts';
import { traceFor } from '../src/expect/evaluate-expectations.ts';
import type { AlertTrace } from '../src/observe/alert-trace.ts';
import type { ScenarioResult } from '../src/report/run-result.ts';
import { loadScenarios } from '../src/scenario/load-scenarios.ts';
import { gateFailures, gateResult, seconds } from './shared-gates.ts';

const config = await loadConfig('firedrill.config.ts');
const compiled = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const scenarios = (await loadScenarios(config.scenariosDir, compiled)).map((l) => l.scenario);

const gate = gateResult();

function trace(result: ScenarioResult, alert: string, labels?: Readonly<Record<string, string>>): AlertTrace {
  const found = traceFor(result.alerts, alert, labels);
  if (!found) throw new Error(`${result.name}: no trace for ${alert}; recorded: ${result.alerts.map((a) => a.alertname).join(', ') || 'none'}`);
  return found;
}

/** The revert of the latest fault injected before the alert went pending: what `toResolve` is measured from. */
function revertOfCause(result: ScenarioResult, pendingAt: string | null): string | null {
  const before = result.faults.filter((f) => pendingAt !== null && seconds(f.injectedAt) <= seconds(pendingAt));
  return before.at(-1)?.revertedAt ?? null;
}

function checkWithMatchers(result: ScenarioResult, e: Expectation): void {
  const t = trace(result, e.alert, e.labels);
  switch (e.kind) {
    case 'fires':
      return void expect(t).toFire();
    case 'doesNotFire':
      return void expect(t).toNotFire();
    case 'inhibitedBy':
      return void expect(t).toBeInhibitedBy(trace(result, e.source));
    case 'notifies':
      return void expect(t).toNotify(e.receiver);
    case 'resolves':
      return void expect(t).toResolve(revertOfCause(result, t.pendingAt));
    case 'mayFire':
      return; // allowed either way: nothing to check
  }
}

describe('npm run gate on the fixtures', () => {
  it('passes every stage: no static finding, the metric contract holds, every scenario passes', () => {
    const piyasa = gate.systems.find((s) => s.system === 'piyasa')!;
    expect(piyasa.static).toEqual([]);
    expect(piyasa.contract?.findings).toEqual([]);
    expect(piyasa.contract?.checked).toBe(21);
    // Every panel query of the Production Overview returned data over the baseline.
    expect(piyasa.dashboards).toMatchObject({ checked: 23, findings: [] });
    // THE_BOT's overview too, its recording rules' panels included.
    expect(gate.systems.find((s) => s.system === 'thebot')!.dashboards).toMatchObject({ checked: 18, findings: [] });
    expect(gate.run.scenarios.filter((s) => !s.ok).map((s) => s.name)).toEqual([]);
    expect(gate.ok).toBe(true);
    expect(gate.wallSeconds).toBeGreaterThan(0);
  });

  it('lists what the services expose beyond the contract (process metrics the guide leaves out), without failing on it', () => {
    const piyasa = gate.systems.find((s) => s.system === 'piyasa')!;
    expect(piyasa.contract?.unlisted).toContain('process_open_fds');
  });

  it('covers 100% of alert rules and inhibit rules, each inhibit rule with a negative control', () => {
    const piyasa = gate.systems.find((s) => s.system === 'piyasa')!;
    expect(piyasa.alertCoverage.rules.filter((r) => r.coveredBy.length === 0)).toEqual([]);
    expect(piyasa.alertCoverage.percent).toBe(100);
    expect(piyasa.inhibitionCoverage.rules.map((r) => [r.suppressedIn.length > 0, r.controlIn.length > 0])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(piyasa.inhibitionCoverage.percent).toBe(100);
  });

  it('exits 0, and its --junit file has one testcase per expectation in each scenario suite, and no failure', () => {
    const run = inject('fixturesGate');
    expect([run.code, gateFailures(gate)], run.stderrTail).toEqual([0, []]);
    const xml = readFileSync(run.junitFile, 'utf8');
    for (const s of gate.run.scenarios) {
      const suite = xml.match(new RegExp(`<testsuite name="${s.name}" tests="(\\d+)" failures="(\\d+)"`));
      expect(suite?.slice(1).map(Number), s.name).toEqual([s.expectations.length, 0]);
    }
    expect(xml).toMatch(/^<testsuites name="firedrill-gate" tests="\d+" failures="0"/m);
    expect(xml).not.toContain('<failure');
  });

  it('the baseline: no alert reaches firing in a healthy run as long as every window and for', () => {
    const baseline = gate.run.scenarios.find((s) => s.name === 'baseline')!;
    expect(baseline.alerts.filter((a) => a.firingAt !== null).map((a) => a.alertname)).toEqual([]);
    expect(baseline.traffic.thresholds).toEqual([expect.objectContaining({ stream: 'traffic_0', ok: true })]);
  });
});

describe.each(scenarios.filter((s) => s.name !== 'api-outage').map((s) => [s.name, s] as const))('scenario %s', (name, scenario) => {
  it(`holds every expectation, checked with the matchers: ${scenario.description ?? ''}`, () => {
    const result = gate.run.scenarios.find((s) => s.name === name)!;
    for (const e of scenario.expect) checkWithMatchers(result, e);
    expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
  });
});

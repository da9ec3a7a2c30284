// One test per fixture scenario (api-outage has its own file): each runs on a fresh real stack
// and its declared expectations are re-checked with the firedrill matchers, so a regression
// shows as a matcher failure with the alert's timeline.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import type { Expectation } from '../src/expect/expectation.ts';
import { loadScenarios } from '../src/scenario/load-scenarios.ts';
import { runFixtureScenario, seconds, type FixtureRun } from './run-fixture-scenario.ts';

const config = await loadConfig('firedrill.config.ts');
const compiled = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const scenarios = (await loadScenarios(config.scenariosDir, compiled)).map((l) => l.scenario).filter((s) => s.name !== 'api-outage');

/** The revert of the latest fault injected before the alert went pending: what `toResolve` is measured from. */
function revertOfCause(run: FixtureRun, pendingAt: string | null): string | null {
  const before = run.result.faults.filter((f) => pendingAt !== null && seconds(f.injectedAt) <= seconds(pendingAt));
  return before.at(-1)?.revertedAt ?? null;
}

function checkWithMatchers(run: FixtureRun, e: Expectation): void {
  const trace = run.trace(e.alert, e.labels);
  switch (e.kind) {
    case 'fires':
      return void expect(trace).toFireWithinFor();
    case 'doesNotFire':
      return void expect(trace).toNeverFire();
    case 'inhibitedBy':
      return void expect(trace).toBeInhibitedBy(run.trace(e.source));
    case 'notifies':
      return void expect(trace).toNotifyReceiver(e.receiver);
    case 'resolves':
      return void expect(trace).toResolve(revertOfCause(run, trace.pendingAt));
  }
}

describe.each(scenarios.map((s) => [s.name, s] as const))('scenario %s', (name, scenario) => {
  let run: FixtureRun;
  beforeAll(async () => {
    run = await runFixtureScenario(name);
  });

  it(`holds every expectation: ${scenario.description ?? ''}`, () => {
    for (const e of scenario.expect) checkWithMatchers(run, e);
    expect(run.result.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(run.result.ok).toBe(true);
  });

  if (name === 'baseline') {
    it('no alert reaches firing in a healthy run as long as every window and for', () => {
      expect(run.result.alerts.filter((a) => a.firingAt !== null).map((a) => a.alertname)).toEqual([]);
      expect(run.result.traffic.thresholds).toEqual([expect.objectContaining({ stream: 'traffic_0', ok: true })]);
    });
  }
});

// The vertical slice: kill the API under latency and prove APIDown fires inside its `for`
// window, mutes HighAPILatency in Alertmanager, and pages the critical receiver. Read from the
// gate run the global setup made (its api-outage drill ran on a stack of its own).
import { beforeAll, describe, expect, it } from 'vitest';
import { gateResult, scenarioOf, seconds, type FixtureRun } from './shared-gates.ts';

describe('api-outage on the piyasa fixture', () => {
  let run: FixtureRun;
  beforeAll(async () => {
    run = await scenarioOf(gateResult(), 'api-outage');
  });

  it('APIDown goes firing no earlier than its scaled for and no later than for + one evaluation interval + 0.25s', () => {
    const apiDown = run.trace('APIDown');
    expect(apiDown).toFire();
    expect(apiDown.forSeconds).toBe(60);
    expect(apiDown.scaledForSeconds).toBe(60 / run.compiled.scale);
    const took = seconds(apiDown.firingAt) - seconds(apiDown.pendingAt);
    expect(took).toBeGreaterThanOrEqual(apiDown.scaledForSeconds);
    expect(took).toBeLessThanOrEqual(apiDown.scaledForSeconds + run.compiled.evaluationIntervalMs / 1000 + 0.25);
  });

  it('APIDown is detected after the kill and pages critical-alerts', () => {
    const apiDown = run.trace('APIDown');
    const kill = run.result.faults.find((f) => f.kind === 'kill')!;
    expect(seconds(apiDown.pendingAt)).toBeGreaterThan(seconds(kill.injectedAt));
    expect(apiDown).toNotify('critical-alerts');
  });

  it('HighAPILatency fires during the outage, is suppressed by APIDown, and reaches no receiver meanwhile', () => {
    const latency = run.trace('HighAPILatency');
    const apiDown = run.trace('APIDown');
    expect(latency).toFire();
    expect(latency).toBeInhibitedBy(apiDown);
    const firstPage = Math.min(...apiDown.notifications.filter((n) => n.status === 'firing').map((n) => seconds(n.at)));
    const leaked = latency.notifications.filter((n) => n.status === 'firing' && seconds(n.at) >= firstPage && seconds(n.at) <= seconds(apiDown.resolvedAt));
    expect(leaked).toEqual([]);
  });

  it('both alerts resolve after the faults are reverted', () => {
    const kill = run.result.faults.find((f) => f.kind === 'kill')!;
    const latencyFault = run.result.faults.find((f) => f.kind === 'latency')!;
    expect(run.trace('APIDown')).toResolve(kill.revertedAt);
    expect(run.trace('HighAPILatency')).toResolve(latencyFault.revertedAt);
  });

  it('every expectation the scenario declares holds, and the result has the documented shape', () => {
    expect(run.result.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(run.result.ok).toBe(true);
    expect(run.result.traffic.requests).toBeGreaterThan(0);
    expect(run.result.traffic.statuses['200']).toBeGreaterThan(0);
    expect(run.result.traffic.statuses['0']).toBeGreaterThan(0); // the API was really down
    expect(run.result.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

// Negative control: the same drill with the APIDown -> HighAPILatency inhibition removed from
// the Alertmanager config (the inhibitionDeleted mutation, read from the mutation gate the global
// setup ran; no other mutation touches api-outage's alerts). If HighAPILatency were not notified
// here, the positive inhibition test would prove nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { PIYASA_MUTATIONS } from './piyasa-mutations.ts';
import { mutationGateResult, scenarioOf, seconds, type FixtureRun } from './shared-gates.ts';

describe('api-outage without the APIDown -> HighAPILatency inhibition', () => {
  let run: FixtureRun;
  beforeAll(async () => {
    run = await scenarioOf(mutationGateResult(), 'api-outage');
  });

  it('HighAPILatency reaches the warnings receiver while APIDown fires', () => {
    const latency = run.trace('HighAPILatency');
    const apiDown = run.trace('APIDown');
    expect(latency.inhibitedBy).toEqual([]);
    const duringOutage = latency.notifications.filter(
      (n) => n.status === 'firing' && seconds(n.at) >= seconds(apiDown.firingAt) && seconds(n.at) <= seconds(apiDown.resolvedAt),
    );
    expect(duringOutage.map((n) => n.receiver)).toContain('warnings');
    expect(latency).not.toBeInhibitedBy(apiDown);
  });

  it("the scenario's inhibition expectation fails, and only that one (of those no other mutation of that gate run breaks)", () => {
    const brokenElsewhere = new Set(PIYASA_MUTATIONS.filter((m) => m.name !== 'inhibitionDeleted').map((m) => m.breaks));
    const failed = run.result.expectations.filter((e) => !e.ok && !brokenElsewhere.has(e.alert ?? '')).map((e) => e.description);
    expect(failed).toEqual(['HighAPILatency is inhibited by APIDown and not notified while APIDown fires']);
    expect(run.result.ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { AlertmanagerClient } from './alertmanager-client.ts';
import { AlertmanagerPoller } from './alertmanager-poller.ts';
import { buildAlertTraces } from './alert-trace.ts';

const episode = { pendingAtMs: 1_000, firingAtMs: 2_000, beforeFiringAtMs: 1_500, resolvedAtMs: null };
const history = (alertname: string) => ({ alertname, labels: { alertname, service: 'api' }, episodes: [episode] });

/** A poller whose Alertmanager lists `Listed` (with Prometheus' labels and its external ones), or fails when down. */
function pollerOf(state: { up: boolean }): AlertmanagerPoller {
  const client = {
    alerts: async () => {
      if (!state.up) throw new Error('connect ECONNREFUSED 127.0.0.1:9093');
      return [{ fingerprint: 'f1', labels: { alertname: 'Listed', service: 'api', cluster: 'eu' }, status: { state: 'active', inhibitedBy: [], silencedBy: [] }, startsAt: '', endsAt: '' }];
    },
  } as unknown as AlertmanagerClient;
  return new AlertmanagerPoller(client, { busyMs: 1_000, idleMs: 1_000 });
}

describe('buildAlertTraces', () => {
  it('says when Alertmanager first listed each alert, null for one it never listed, and nothing when its polls failed', async () => {
    const state = { up: true };
    const poller = pollerOf(state);
    const before = Date.now();
    await poller.poll();
    const traces = buildAlertTraces({ rules: [], histories: [history('Listed'), history('Dropped')], poller, notifications: [], faults: [], mentioned: [] });
    const listed = Date.parse(traces[0]!.reachedAlertmanagerAt!);
    expect(listed).toBeGreaterThanOrEqual(before);
    expect(listed).toBeLessThanOrEqual(Date.now());
    expect(traces[1]!.reachedAlertmanagerAt).toBeNull();
    // A later poll keeps the first time.
    await poller.poll();
    expect(buildAlertTraces({ rules: [], histories: [history('Listed')], poller, notifications: [], faults: [], mentioned: [] })[0]!.reachedAlertmanagerAt).toBe(traces[0]!.reachedAlertmanagerAt);
    // With a failed poll, "never listed" cannot be told from "not seen": no claim either way.
    state.up = false;
    await poller.poll();
    const unknown = buildAlertTraces({ rules: [], histories: [history('Listed'), history('Dropped')], poller, notifications: [], faults: [], mentioned: [] });
    expect(unknown.map((t) => 'reachedAlertmanagerAt' in t)).toEqual([false, false]);
  });
});

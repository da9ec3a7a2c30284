import { describe, expect, it } from 'vitest';
import type { AlertmanagerClient } from './alertmanager-client.ts';
import { AlertmanagerPoller } from './alertmanager-poller.ts';

describe('AlertmanagerPoller', () => {
  it('reports failed polls as a gap in the data instead of swallowing them (with a dead Alertmanager every alert used to look unsuppressed)', async () => {
    let up = true;
    const client = {
      alerts: async () => {
        if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:9093');
        return [{ fingerprint: 'a', labels: { alertname: 'X' }, status: { state: 'suppressed', inhibitedBy: ['b'], silencedBy: [] }, startsAt: '', endsAt: '' }];
      },
    } as unknown as AlertmanagerClient;
    const poller = new AlertmanagerPoller(client, 1_000);
    await poller.poll();
    expect(poller.gap()).toBeUndefined();
    up = false;
    await poller.poll();
    await poller.poll();
    expect(poller.gap()).toBe('2 of 3 Alertmanager polls failed (last: connect ECONNREFUSED 127.0.0.1:9093)');
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
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
    const poller = new AlertmanagerPoller(client, { busyMs: 1_000, idleMs: 1_000 });
    await poller.poll();
    expect(poller.gap()).toBeUndefined();
    up = false;
    await poller.poll();
    await poller.poll();
    expect(poller.gap()).toBe('2 of 3 Alertmanager polls failed (last: connect ECONNREFUSED 127.0.0.1:9093)');
  });
  describe('asks often only while Alertmanager holds an alert', () => {
    afterEach(() => vi.useRealTimers());

    it('polls at the idle interval while the answers list nothing, and at the busy one from an answer that lists an alert until one lists none', async () => {
      vi.useFakeTimers({ now: 0 });
      // Alertmanager holds one alert from 300 ms to 500 ms.
      const polls: { atMs: number; listed: number }[] = [];
      const client = {
        alerts: async () => {
          const atMs = Date.now();
          const alerts = atMs >= 300 && atMs < 500 ? [{ fingerprint: 'a', labels: { alertname: 'X' }, status: { state: 'active', inhibitedBy: [], silencedBy: [] }, startsAt: '', endsAt: '' }] : [];
          polls.push({ atMs, listed: alerts.length });
          return alerts;
        },
      } as unknown as AlertmanagerClient;
      const poller = new AlertmanagerPoller(client, { busyMs: 20, idleMs: 100 });
      poller.start();
      await vi.advanceTimersByTimeAsync(1_000);
      await poller.stop(false);
      // Each gap follows from what the poll before it saw.
      const gaps = polls.slice(1).map((p, i) => ({ after: polls[i]!.listed > 0 ? 'listed' : 'empty', gapMs: p.atMs - polls[i]!.atMs }));
      expect(new Set(gaps.filter((g) => g.after === 'empty').map((g) => g.gapMs))).toEqual(new Set([100]));
      expect(new Set(gaps.filter((g) => g.after === 'listed').map((g) => g.gapMs))).toEqual(new Set([20]));
      expect(polls.map((p) => p.atMs)).toEqual([100, 200, 300, 320, 340, 360, 380, 400, 420, 440, 460, 480, 500, 600, 700, 800, 900, 1000]);
      expect(poller.polls).toBe(polls.length);
    });

    it('keeps the busy interval after a failed poll, and stops for good on stop()', async () => {
      vi.useFakeTimers({ now: 0 });
      const polls: number[] = [];
      const client = {
        alerts: async () => {
          polls.push(Date.now());
          if (polls.length === 2) throw new Error('connect ECONNREFUSED');
          return [];
        },
      } as unknown as AlertmanagerClient;
      const poller = new AlertmanagerPoller(client, { busyMs: 20, idleMs: 100 });
      poller.start();
      await vi.advanceTimersByTimeAsync(330);
      expect(polls).toEqual([100, 200, 220, 320]);
      await poller.stop(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(polls.length).toBe(4);
    });
  });
});

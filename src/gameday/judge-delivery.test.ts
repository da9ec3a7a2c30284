import { describe, expect, it } from 'vitest';
import { deliveredBetween } from '../observe/alertmanager-routing.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { judgeDelivery } from './judge-delivery.ts';

const routed: ExpectationResult = { description: 'ApiDown notifies receiver pager', ok: true, detail: 'ApiDown reached pager at T', kind: 'notifies', alert: 'ApiDown' };
const fired: ExpectationResult = { description: 'ApiDown fires', ok: true, detail: 'fired', kind: 'fires', alert: 'ApiDown' };

describe("a game day's delivery verdict", () => {
  it('holds when Alertmanager routed the alert and its counters show notifications sent', () => {
    const [f, n] = judgeDelivery([fired, routed], { webhook: { sent: 2, failed: 0 } }, false);
    expect(n).toMatchObject({ ok: true, detail: 'ApiDown reached pager at T; Alertmanager\'s notifications during the drill: webhook 2 sent, 0 failed' });
    expect(n!.evidence).toContain('/api/v2/alerts receivers');
    expect(f).toMatchObject({ ok: true, detail: 'fired' });
    expect(f!.evidence).toContain('ALERTS');
  });

  it('fails a routed alert when nothing was delivered, or every attempt failed', () => {
    expect(judgeDelivery([routed], {}, false)[0]).toMatchObject({ ok: false, detail: expect.stringContaining('counters did not move during the drill: nothing was delivered') });
    expect(judgeDelivery([routed], { slack: { sent: 3, failed: 3 } }, false)[0]).toMatchObject({ ok: false, detail: expect.stringContaining('every notification attempt failed (slack 3 sent, 3 failed)') });
  });

  it('under --silence, holds on routing alone and says nothing was delivered; a routing failure stays a failure', () => {
    expect(judgeDelivery([routed], {}, true)[0]).toMatchObject({ ok: true, detail: expect.stringContaining('silenced by firedrill (--silence): routed, not delivered') });
    const notRouted = { ...routed, ok: false, detail: 'ApiDown reached tickets, not pager' };
    expect(judgeDelivery([notRouted], { webhook: { sent: 1, failed: 0 } }, true)[0]).toMatchObject({ ok: false, detail: 'ApiDown reached tickets, not pager' });
  });

  it('counts only what moved between two readings of the counters', () => {
    expect(deliveredBetween({ webhook: { sent: 5, failed: 1 }, email: { sent: 2, failed: 0 } }, { webhook: { sent: 7, failed: 1 }, email: { sent: 2, failed: 0 }, slack: { sent: 1, failed: 1 } })).toEqual({
      webhook: { sent: 2, failed: 0 },
      slack: { sent: 1, failed: 1 },
    });
  });
});

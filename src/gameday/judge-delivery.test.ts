import { describe, expect, it } from 'vitest';
import { deliveredBetween } from '../observe/alertmanager-routing.ts';
import type { Expectation } from '../expect/expectation.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { judgeDelivery } from './judge-delivery.ts';

const toPager: Expectation[] = [{ kind: 'notifies', alert: 'ApiDown', receiver: 'pager' }];
const firesThenPager: Expectation[] = [{ kind: 'fires', alert: 'ApiDown' }, ...toPager];
const plain = { silenced: false, exactTimes: false, copies: 0 };
const routed: ExpectationResult = { description: 'ApiDown notifies receiver pager', ok: true, detail: 'ApiDown reached pager at T', kind: 'notifies', alert: 'ApiDown' };
const fired: ExpectationResult = { description: 'ApiDown fires', ok: true, detail: 'fired', kind: 'fires', alert: 'ApiDown' };

describe("a game day's delivery verdict", () => {
  it('holds when Alertmanager routed the alert and its counters show notifications sent', () => {
    const [f, n] = judgeDelivery([fired, routed], firesThenPager, { integrations: { webhook: { sent: 2, failed: 0 } } }, plain);
    expect(n).toMatchObject({ ok: true, detail: expect.stringMatching(/^ApiDown reached pager at T; Alertmanager's notifications during the drill: webhook 2 sent, 0 failed \(per integration/) });
    expect(n!.evidence).toContain('/api/v2/alerts/groups');
    expect(n!.evidence).not.toContain('webhook');
    expect(f).toMatchObject({ ok: true, detail: 'fired' });
    expect(f!.evidence).toContain('ALERTS');
  });

  it('fails a routed alert when nothing was delivered, or any notification failed', () => {
    expect(judgeDelivery([routed], toPager, { integrations: { webhook: { sent: 4, failed: 1 } } }, plain)[0]).toMatchObject({ ok: false });
    expect(judgeDelivery([routed], toPager, { integrations: {} }, plain)[0]).toMatchObject({ ok: false, detail: expect.stringContaining('but nothing was delivered: Alertmanager\'s notification counters did not move during the drill') });
    expect(judgeDelivery([routed], toPager, { integrations: { slack: { sent: 3, failed: 3 } } }, { ...plain, exactTimes: true })[0]).toMatchObject({ ok: false, detail: expect.stringContaining('but notifications failed (slack 3 sent, 3 failed') });
  });

  it('under --silence, holds on routing alone and says nothing was delivered; a routing failure stays a failure', () => {
    expect(judgeDelivery([routed], toPager, { integrations: {} }, { ...plain, silenced: true })[0]).toMatchObject({ ok: true, detail: expect.stringContaining('silenced by firedrill (--silence): routed, not delivered') });
    const notRouted = { ...routed, ok: false, detail: 'ApiDown reached tickets, not pager' };
    expect(judgeDelivery([notRouted], toPager, { integrations: { webhook: { sent: 1, failed: 0 } } }, { ...plain, silenced: true })[0]).toMatchObject({ ok: false, detail: 'ApiDown reached tickets, not pager' });
  });

  it("does not count firedrill's own webhook copies as delivered, and judges by the receiver's own counters where Alertmanager has them", () => {
    // Two webhook notifications, both firedrill's copies: the pager got nothing.
    expect(judgeDelivery([routed], toPager, { integrations: { webhook: { sent: 2, failed: 0 } } }, { ...plain, exactTimes: true, copies: 2 })[0]).toMatchObject({ ok: false });
    // A dead pager beside a healthy tickets receiver fails, whatever the totals say.
    const byReceiver = { integrations: { webhook: { sent: 5, failed: 2 } }, receivers: { pager: { sent: 2, failed: 2 }, tickets: { sent: 3, failed: 0 } } };
    expect(judgeDelivery([routed], toPager, byReceiver, plain)[0]).toMatchObject({ ok: false, detail: expect.stringContaining('pager: 2 sent, 2 failed (per receiver)') });
    expect(judgeDelivery([{ ...routed, description: 'to tickets' }], [{ kind: 'notifies', alert: 'ApiDown', receiver: ['tickets'] }], byReceiver, plain)[0]).toMatchObject({ ok: true });
  });

  it('counts only what moved between two readings of the counters', () => {
    expect(deliveredBetween({ webhook: { sent: 5, failed: 1 }, email: { sent: 2, failed: 0 } }, { webhook: { sent: 7, failed: 1 }, email: { sent: 2, failed: 0 }, slack: { sent: 1, failed: 1 } })).toEqual({
      webhook: { sent: 2, failed: 0 },
      slack: { sent: 1, failed: 1 },
    });
  });
});

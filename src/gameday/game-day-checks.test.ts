import { describe, expect, it } from 'vitest';
import { expectAlert } from '../expect/expectation.ts';
import { untimeablePage } from './game-day-checks.ts';

describe('untimeablePage', () => {
  it("refuses a notifyWithin on a game day, which sees when a page was routed, not when it went out; a plain toNotify is fine", () => {
    const expect1 = [expectAlert('APIDown').toFire(), expectAlert('APIDown').toNotify('pager', { notifyWithin: '3m' })];
    expect(untimeablePage({ name: 'outage', expect: expect1 })).toBe(
      "scenario outage: expect[1].notifyWithin cannot be judged on a game day: firedrill sees when Alertmanager routed the page, not when the team's route sent it; drop notifyWithin here, or drill it on a stack firedrill starts (run, gate)",
    );
    expect(untimeablePage({ name: 'outage', expect: [expectAlert('APIDown').toNotify('pager')] })).toBeUndefined();
  });
});

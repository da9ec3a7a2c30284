import { describe, expect, it } from 'vitest';
import { apiDown, at, makeTrace, suppressedLatency } from './test-traces.ts';

describe('toFire', () => {
  it('passes when firing comes exactly for after pending', () => {
    expect(apiDown()).toFire();
  });

  it('fails when firing comes before for elapsed', () => {
    const early = makeTrace({ alertname: 'APIDown', pendingAt: at(10), firingAt: at(12) });
    expect(() => expect(early).toFire()).toThrow(
      'expected APIDown{service="api"} to fire within its for window: APIDown{service="api"} fired 2.000s after pending; for is 60s (scaled 3s), allowed 3.000s..4.000s after pending',
    );
  });

  it('fails when firing comes later than for + one evaluation interval + 0.25s', () => {
    const late = makeTrace({ alertname: 'APIDown', pendingAt: at(10), firingAt: at(14.001) });
    expect(() => expect(late).toFire()).toThrow('fired 4.001s after pending');
  });

  it('fails when the alert never fired, saying what to do', () => {
    const stuck = makeTrace({ alertname: 'APIDown', firingAt: null, resolvedAt: null });
    expect(() => expect(stuck).toFire()).toThrow('but never fired; for is 60s (scaled 3s), allowed 3.000s..4.000s after pending; hold the fault longer');
  });

  it('prints the timeline on failure and gives Vitest the timeline as data for its diff', () => {
    const stuck = makeTrace({ alertname: 'APIDown', firingAt: null });
    let thrown: (Error & { actual?: unknown; expected?: unknown }) | undefined;
    try {
      expect(stuck).toFire();
    } catch (error) {
      thrown = error as typeof thrown;
    }
    expect(thrown?.message).toMatch(/timeline: APIDown\{service="api"\} +pending \+0\.0s +firing -/);
    expect(thrown?.actual).toMatchObject({ alertname: 'APIDown', episodes: stuck.episodes });
    expect(thrown?.expected).toEqual({ firingAfterPendingSeconds: [3, 3.75] });
  });

  it('refuses something that is not a trace, naming the fix', () => {
    expect(() => expect(undefined).toFire()).toThrow("toFire() expects an AlertTrace (e.g. result.alerts.find(a => a.alertname === 'APIDown')), got undefined");
  });

  it('refuses .not, naming the one way to say "does not fire" (the old form passed an alert that fired too early)', () => {
    const early = makeTrace({ alertname: 'APIDown', pendingAt: at(10), firingAt: at(12) });
    expect(() => expect(early).not.toFire()).toThrow('.not.toFire() is not defined: it would also pass an alert that fired outside its for window; say expect(trace).toNotFire()');
  });
});

describe('toNotFire', () => {
  it('passes when it never fired, pending alone included, and fails on any episode that fired', () => {
    expect(makeTrace({ alertname: 'HighAPILatency', firingAt: null, resolvedAt: at(12) })).toNotFire();
    expect(() => expect(apiDown()).toNotFire()).toThrow(`fired at ${at(13)}`);
  });

  it('refuses .not, naming toFire', () => {
    expect(() => expect(apiDown()).not.toNotFire()).toThrow('.not.toNotFire() is not defined: say expect(trace).toFire()');
  });
});

describe('toBeInhibitedBy', () => {
  it('passes when suppressed, overlapping and silent while the source fired', () => {
    expect(suppressedLatency()).toBeInhibitedBy(apiDown());
  });

  it('fails when Alertmanager never showed the suppression', () => {
    const loud = { ...suppressedLatency(), inhibitedBy: [] };
    expect(() => expect(loud).toBeInhibitedBy(apiDown())).toThrow('Alertmanager never showed it suppressed by APIDown (inhibitedBy: [])');
  });

  it('fails when the target was notified while the source fired', () => {
    const leaked = { ...suppressedLatency(), notifications: [{ receiver: 'warnings', status: 'firing' as const, at: at(17.5) }] };
    expect(() => expect(leaked).toBeInhibitedBy(apiDown())).toThrow(`notified while APIDown fired: warnings at ${at(17.5)}`);
  });

  it('fails when the target was notified after the source fired and reached Alertmanager, before the source was notified itself (the old verdict counted from there)', () => {
    // APIDown fires at 13 s, evaluated every 0.75 s: in Alertmanager by 13.75 s; its own page at 14.5 s.
    const early = (noticeAt: number) => makeTrace({ ...suppressedLatency(), firingAt: at(13.2), episodes: undefined, notifications: [{ receiver: 'warnings', status: 'firing', at: at(noticeAt) }] });
    expect(() => expect(early(14)).toBeInhibitedBy(apiDown())).toThrow(`notified while APIDown fired: warnings at ${at(14)}`);
    // Sent before the source's evaluation could have reached Alertmanager: inhibition had nothing to act on yet.
    expect(early(13.5)).toBeInhibitedBy(apiDown());
  });

  it('fails when the two never fired together, since that proves nothing', () => {
    const before = makeTrace({ ...suppressedLatency(), firingAt: at(2), resolvedAt: at(5), episodes: undefined });
    expect(() => expect(before).toBeInhibitedBy(apiDown())).toThrow('it was not firing while APIDown fired, so the check proves nothing');
  });

  it('refuses the name of the source: the list alone cannot show that both fired together (the old string form checked only the list)', () => {
    expect(() => expect(suppressedLatency()).toBeInhibitedBy('APIDown' as never)).toThrow(
      "toBeInhibitedBy() needs the source's trace, not its name, to check that both fired together: expect(trace('HighAPILatency')).toBeInhibitedBy(trace('APIDown'))",
    );
  });

  it('.not is the negative control: fired with the source, unsuppressed, and notified', () => {
    const control = { ...suppressedLatency(), inhibitedBy: [], suppressedFrom: null, suppressedUntil: null, notifications: [{ receiver: 'warnings', status: 'firing' as const, at: at(17.5) }] };
    expect(control).not.toBeInhibitedBy(apiDown());
    expect(() => expect(suppressedLatency()).not.toBeInhibitedBy(apiDown())).toThrow('expected HighAPILatency{service="api"} not to be inhibited by APIDown (a negative control)');
  });

  it('.not fails when the source never fired, which the old flipped verdict passed', () => {
    const silentSource = makeTrace({ alertname: 'APIDown', pendingAt: at(10), firingAt: null, resolvedAt: at(11) });
    const loud = { ...suppressedLatency(), inhibitedBy: [], notifications: [{ receiver: 'warnings', status: 'firing' as const, at: at(17.5) }] };
    expect(() => expect(loud).not.toBeInhibitedBy(silentSource)).toThrow('APIDown never fired, so the control proves nothing');
  });
});

describe('toNotify', () => {
  it('passes when every firing notification went to the receiver', () => {
    expect(apiDown()).toNotify('critical-alerts');
  });

  it('fails when the routing tree sent it elsewhere', () => {
    const misrouted = makeTrace({ alertname: 'APIDown', notifications: [{ receiver: 'default', status: 'firing', at: at(14) }] });
    expect(() => expect(misrouted).toNotify('critical-alerts')).toThrow('APIDown{service="api"} reached default; expected only critical-alerts');
  });

  it('fails when nothing was notified, saying where the alert stopped on its way', () => {
    expect(() => expect(suppressedLatency()).toNotify('warnings')).toThrow(
      `reached no receiver (it fired at ${at(16)}; Alertmanager suppressed it by APIDown from ${at(16.2)} to ${at(29.9)}); expected warnings`,
    );
    const silent = makeTrace({ alertname: 'APIDown', firingAt: null });
    expect(() => expect(silent).toNotify('critical-alerts')).toThrow('APIDown{service="api"} reached no receiver: it never fired in Prometheus; expected critical-alerts');
    // Dropped by Prometheus' alert relabelling, or sent to no Alertmanager at all.
    const dropped = makeTrace({ alertname: 'APIDown', reachedAlertmanagerAt: null });
    expect(() => expect(dropped).toNotify('critical-alerts')).toThrow(
      `reached no receiver (it fired at ${at(13)} but Alertmanager never listed it: check prometheus.yml's alerting section and its alert_relabel_configs); expected critical-alerts`,
    );
    const unrouted = makeTrace({ alertname: 'APIDown', reachedAlertmanagerAt: at(13.1) });
    expect(() => expect(unrouted).toNotify('critical-alerts')).toThrow(
      `reached no receiver (it fired at ${at(13)} and Alertmanager had it from ${at(13.1)}, but sent it nowhere by the end: check its route's matchers, receiver, group_wait and mute or active time intervals); expected critical-alerts`,
    );
    // No poll data (the polls failed, or an older result): nothing is claimed about Alertmanager.
    expect(() => expect(makeTrace({ alertname: 'APIDown' })).toNotify('critical-alerts')).toThrow(`reached no receiver (it fired at ${at(13)}); expected critical-alerts`);
  });

  it('with several receivers (a route fanning out with continue: true): passes only when each got it and no other did', () => {
    const notice = (receiver: string, seconds: number) => ({ receiver, status: 'firing' as const, at: at(seconds) });
    const fannedOut = makeTrace({ alertname: 'APIDown', notifications: [notice('pagerduty', 14), notice('email', 14.1), notice('slack', 14.2)] });
    expect(fannedOut).toNotify(['pagerduty', 'email', 'slack']);
    const stopped = makeTrace({ alertname: 'APIDown', notifications: [notice('pagerduty', 14)] });
    expect(() => expect(stopped).toNotify(['pagerduty', 'email', 'slack'])).toThrow('APIDown{service="api"} reached pagerduty but not email and slack; expected pagerduty, email and slack');
    expect(() => expect(fannedOut).toNotify(['pagerduty', 'email'])).toThrow('reached slack; expected only pagerduty and email');
    expect(() => expect(fannedOut).not.toNotify(['pagerduty', 'email'])).toThrow('.not.toNotify() takes one receiver');
  });

  it('.not: it fired and never reached that receiver; an alert that never fired proves nothing', () => {
    expect(apiDown()).not.toNotify('warnings');
    expect(() => expect(apiDown()).not.toNotify('critical-alerts')).toThrow(`reached critical-alerts at ${at(14.5)}`);
    const quiet = makeTrace({ alertname: 'APIDown', firingAt: null });
    expect(() => expect(quiet).not.toNotify('warnings')).toThrow('never fired, so not reaching warnings proves nothing');
  });
});

describe('toResolve', () => {
  it('fails while the alert is still active', () => {
    expect(apiDown()).toResolve(at(20));
    const stuck = makeTrace({ alertname: 'APIDown', resolvedAt: null });
    expect(() => expect(stuck).toResolve(at(20))).toThrow(`still active at the end (fault reverted at ${at(20)})`);
  });

  it('fails when it resolved before the fault was reverted', () => {
    expect(() => expect(apiDown()).toResolve(at(31))).toThrow(`resolved at ${at(30)}, before its fault was reverted at ${at(31)}`);
  });

  it('reads the last episode: fired again and still active at the end is not resolved (the old verdict read the first)', () => {
    const again = makeTrace({
      alertname: 'APIDown',
      episodes: [
        { pendingAt: at(10), firingAt: at(13), resolvedAt: at(30) },
        { pendingAt: at(35), firingAt: at(38), resolvedAt: null },
      ],
    });
    expect(() => expect(again).toResolve(at(20))).toThrow('still active at the end');
  });

  it('refuses .not, saying what to check instead', () => {
    expect(() => expect(apiDown()).not.toResolve()).toThrow('.not.toResolve() is not defined');
  });
});

import { describe, expect, it } from 'vitest';
import { apiDown, at, makeTrace, suppressedLatency } from './test-traces.ts';

describe('toFireWithinFor', () => {
  it('passes when firing comes exactly for after pending', () => {
    expect(apiDown()).toFireWithinFor();
  });

  it('fails when firing comes before for elapsed', () => {
    const early = makeTrace({ alertname: 'APIDown', pendingAt: at(10), firingAt: at(12) });
    expect(() => expect(early).toFireWithinFor()).toThrow(
      'expected APIDown{service="api"} to fire within its for window: APIDown{service="api"} fired 2.000s after pending; for is 60s (scaled 3s), allowed 3.000s..4.000s after pending',
    );
  });

  it('fails when firing comes later than for + one evaluation interval + 0.25s', () => {
    const late = makeTrace({ alertname: 'APIDown', pendingAt: at(10), firingAt: at(14.001) });
    expect(() => expect(late).toFireWithinFor()).toThrow('fired 4.001s after pending');
  });

  it('fails when the alert never fired, saying what to do', () => {
    const stuck = makeTrace({ alertname: 'APIDown', firingAt: null, resolvedAt: null });
    expect(() => expect(stuck).toFireWithinFor()).toThrow('but never fired; for is 60s (scaled 3s), allowed 3.000s..4.000s after pending; hold the fault longer');
  });

  it('prints the timeline on failure', () => {
    const stuck = makeTrace({ alertname: 'APIDown', firingAt: null });
    expect(() => expect(stuck).toFireWithinFor()).toThrow(/timeline: APIDown\{service="api"\} +pending \+0\.0s +firing -/);
  });

  it('refuses something that is not a trace, naming the fix', () => {
    expect(() => expect(undefined).toFireWithinFor()).toThrow("toFireWithinFor() expects an AlertTrace (e.g. result.alerts.find(a => a.alertname === 'APIDown')), got undefined");
  });
});

describe('toBeInhibitedBy', () => {
  it('passes when suppressed, overlapping and silent while the source fired', () => {
    expect(suppressedLatency()).toBeInhibitedBy(apiDown());
    expect(suppressedLatency()).toBeInhibitedBy('APIDown');
  });

  it('fails when Alertmanager never showed the suppression', () => {
    const loud = { ...suppressedLatency(), inhibitedBy: [] };
    expect(() => expect(loud).toBeInhibitedBy(apiDown())).toThrow('Alertmanager never showed it suppressed by APIDown (inhibitedBy: [])');
    expect(() => expect(loud).toBeInhibitedBy('APIDown')).toThrow('inhibitedBy is []');
  });

  it('fails when the target was notified while the source fired', () => {
    const leaked = { ...suppressedLatency(), notifications: [{ receiver: 'warnings', status: 'firing' as const, at: at(17.5) }] };
    expect(() => expect(leaked).toBeInhibitedBy(apiDown())).toThrow(`notified while APIDown fired: warnings at ${at(17.5)}`);
  });

  it('fails when the two never fired together, since that proves nothing', () => {
    const before = { ...suppressedLatency(), firingAt: at(2), resolvedAt: at(5) };
    expect(() => expect(before).toBeInhibitedBy(apiDown())).toThrow('it was not firing while APIDown fired, so the check proves nothing');
  });

  it('supports .not for negative controls', () => {
    const leaked = { ...suppressedLatency(), inhibitedBy: [], notifications: [{ receiver: 'warnings', status: 'firing' as const, at: at(17.5) }] };
    expect(leaked).not.toBeInhibitedBy(apiDown());
    expect(() => expect(suppressedLatency()).not.toBeInhibitedBy(apiDown())).toThrow('expected HighAPILatency{service="api"} not to be inhibited by APIDown');
  });
});

describe('toNotifyReceiver', () => {
  it('passes when every firing notification went to the receiver', () => {
    expect(apiDown()).toNotifyReceiver('critical-alerts');
  });

  it('fails when the routing tree sent it elsewhere', () => {
    const misrouted = makeTrace({ alertname: 'APIDown', notifications: [{ receiver: 'default', status: 'firing', at: at(14) }] });
    expect(() => expect(misrouted).toNotifyReceiver('critical-alerts')).toThrow('APIDown{service="api"} reached default; expected only critical-alerts');
  });

  it('fails when nothing was notified', () => {
    expect(() => expect(suppressedLatency()).toNotifyReceiver('warnings')).toThrow('reached no receiver; expected warnings');
  });
});

describe('toResolve and toNeverFire', () => {
  it('toResolve fails while the alert is still active', () => {
    expect(apiDown()).toResolve(at(20));
    const stuck = makeTrace({ alertname: 'APIDown', resolvedAt: null });
    expect(() => expect(stuck).toResolve(at(20))).toThrow(`still active at the end (fault reverted at ${at(20)})`);
  });

  it('toResolve fails when it resolved before the fault was reverted', () => {
    expect(() => expect(apiDown()).toResolve(at(31))).toThrow(`resolved at ${at(30)}, before its fault was reverted at ${at(31)}`);
  });

  it('toNeverFire fails on any episode that fired', () => {
    expect(makeTrace({ alertname: 'HighAPILatency', firingAt: null, resolvedAt: at(12) })).toNeverFire();
    expect(() => expect(apiDown()).toNeverFire()).toThrow(`fired at ${at(13)}`);
  });
});

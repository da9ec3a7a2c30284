import { listText } from './list-text.ts';
import type {} from 'vitest'; // the module the declaration below augments
import type { AlertTrace } from '../observe/alert-trace.ts';
import { formatTrace } from '../report/console-report.ts';
import { traceName } from '../report/trace-name.ts';
import { doesNotNotify, firesWithinFor, inhibitedBy, neverFires, notifiesReceiver, notInhibitedBy, resolvesAfter, type Verdict } from './verdicts.ts';

interface MatcherContext {
  isNot: boolean;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
  /** The alert's timeline, for Vitest's diff. */
  actual: unknown;
  /** What the verdict required, as data. */
  expected: unknown;
}

/** The part of a trace a verdict reads, shown as `actual` so that Vitest's diff is about the timeline. */
const timelineOf = (t: AlertTrace) => ({
  alertname: t.alertname,
  labels: t.labels,
  episodes: t.episodes,
  inhibitedBy: t.inhibitedBy,
  notifications: t.notifications,
});

/**
 * A matcher result from a verdict. Under `.not` the matcher passes its negative verdict, so
 * Vitest's own inversion turns a held negative into a pass: negation is what each matcher
 * defines, never a flipped combination of checks.
 */
function result(ctx: MatcherContext, received: AlertTrace, what: string, verdict: Verdict, expected: unknown): MatcherResult {
  return {
    pass: ctx.isNot ? !verdict.ok : verdict.ok,
    message: () => `expected ${traceName(received)} ${what}: ${verdict.detail}\n  timeline: ${formatTrace(received)}`,
    actual: timelineOf(received),
    expected,
  };
}

function assertTrace(received: unknown, matcher: string): asserts received is AlertTrace {
  const ok = typeof received === 'object' && received !== null && 'alertname' in received && 'episodes' in received;
  if (!ok) throw new TypeError(`${matcher}() expects an AlertTrace (e.g. result.alerts.find(a => a.alertname === 'APIDown')), got ${String(received)}`);
}

function refuseNot(ctx: MatcherContext, matcher: string, instead: string): void {
  if (ctx.isNot) throw new TypeError(`.not.${matcher}() is not defined: ${instead}`);
}

/**
 * Vitest matchers over alert traces, the same verdicts as a scenario's expectations (those that a
 * trace alone can show; causation and detection bounds need the drill's faults: see the
 * scenario's own results). Register with `expect.extend(firedrillMatchers)`.
 * @example expect(trace('APIDown')).toFire(); expect(trace('HighAPILatency')).toBeInhibitedBy(trace('APIDown'))
 */
export const firedrillMatchers = {
  /** Went firing no earlier than its scaled `for` after pending and no later than `for` + one evaluation interval. */
  toFire(this: MatcherContext, received: unknown) {
    assertTrace(received, 'toFire');
    refuseNot(this, 'toFire', 'it would also pass an alert that fired outside its for window; say expect(trace).toNotFire()');
    const lo = received.scaledForSeconds;
    return result(this, received, 'to fire within its for window', firesWithinFor(received), { firingAfterPendingSeconds: [lo, lo + received.evaluationIntervalSeconds] });
  },
  /** Never reached firing (pending alone is fine). */
  toNotFire(this: MatcherContext, received: unknown) {
    assertTrace(received, 'toNotFire');
    refuseNot(this, 'toNotFire', 'say expect(trace).toFire()');
    return result(this, received, 'not to fire', neverFires(received), { episodesThatFired: [] });
  },
  /**
   * Suppressed by `source` in Alertmanager while both fired, and no receiver heard of it meanwhile.
   * `.not`: the negative control: both fired together, unsuppressed, and it reached a receiver.
   */
  toBeInhibitedBy(this: MatcherContext, received: unknown, source: unknown) {
    assertTrace(received, 'toBeInhibitedBy');
    if (typeof source === 'string') {
      throw new TypeError(`toBeInhibitedBy() needs the source's trace, not its name, to check that both fired together: expect(trace('${received.alertname}')).toBeInhibitedBy(trace('${source}'))`);
    }
    assertTrace(source, 'toBeInhibitedBy');
    return this.isNot
      ? result(this, received, `not to be inhibited by ${source.alertname} (a negative control)`, notInhibitedBy(received, source), { inhibitedBy: [], notifiedWhile: source.alertname })
      : result(this, received, `to be inhibited by ${source.alertname}`, inhibitedBy(received, source), { inhibitedBy: [source.alertname], notifiedWhile: [] });
  },
  /**
   * Every firing notification reached `receiver` (or one of the receivers, each at least once), at
   * least one. `.not`: it fired and never reached `receiver`.
   */
  toNotify(this: MatcherContext, received: unknown, receiver: string | readonly string[]) {
    assertTrace(received, 'toNotify');
    const receivers = typeof receiver === 'string' ? [receiver] : [...receiver];
    if (this.isNot && receivers.length !== 1) throw new TypeError('.not.toNotify() takes one receiver: say which one it must not reach');
    return this.isNot
      ? result(this, received, `not to notify ${receivers[0]}`, doesNotNotify(received, receivers[0]!), { receiversNot: receivers })
      : result(this, received, `to notify ${listText(receivers)}`, notifiesReceiver(received, receivers), { receivers });
  },
  /** Fired, is inactive at the end, and resolved no earlier than `notBefore` (when its fault was reverted). */
  toResolve(this: MatcherContext, received: unknown, notBefore: string | null = null) {
    assertTrace(received, 'toResolve');
    refuseNot(this, 'toResolve', 'to check an alert still active at the end, say expect(trace.episodes.at(-1)?.resolvedAt).toBeNull()');
    return result(this, received, 'to resolve', resolvesAfter(received, notBefore), { resolvedAfter: notBefore });
  },
};

declare module 'vitest' {
  interface Matchers<T = any> {
    /** firingAt - pendingAt lies in [scaled for, scaled for + evaluation interval + 0.25 s]. */
    toFire(): T;
    toNotFire(): T;
    toBeInhibitedBy(source: AlertTrace): T;
    toNotify(receiver: string | readonly string[]): T;
    toResolve(notBefore?: string | null): T;
  }
}

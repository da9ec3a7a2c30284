import type { AlertTrace } from '../observe/alert-trace.ts';
import { formatTrace } from '../report/console-report.ts';
import { firesWithinFor, inhibitedBy, neverFires, notifiesReceiver, resolvesAfter, traceName, type Verdict } from './verdicts.ts';

interface MatcherContext {
  isNot: boolean;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual: string;
  expected: string;
}

function result(ctx: MatcherContext, received: AlertTrace, what: string, verdict: Verdict): MatcherResult {
  return {
    pass: verdict.ok,
    message: () => `expected ${traceName(received)} ${ctx.isNot ? 'not ' : ''}${what}: ${verdict.detail}\n  timeline: ${formatTrace(received)}`,
    actual: formatTrace(received),
    expected: what,
  };
}

function assertTrace(received: unknown, matcher: string): asserts received is AlertTrace {
  const ok = typeof received === 'object' && received !== null && 'alertname' in received && 'episodes' in received;
  if (!ok) throw new TypeError(`${matcher}() expects an AlertTrace (e.g. result.alerts.find(a => a.alertname === 'APIDown')), got ${String(received)}`);
}

/**
 * Vitest matchers over alert traces; register with `expect.extend(firedrillMatchers)`.
 * @example expect(trace('APIDown')).toFireWithinFor(); expect(trace('HighAPILatency')).toBeInhibitedBy(trace('APIDown'))
 */
export const firedrillMatchers = {
  toFireWithinFor(this: MatcherContext, received: unknown) {
    assertTrace(received, 'toFireWithinFor');
    return result(this, received, 'to fire within its for window', firesWithinFor(received));
  },
  toNeverFire(this: MatcherContext, received: unknown) {
    assertTrace(received, 'toNeverFire');
    return result(this, received, 'to never fire', neverFires(received));
  },
  /** With a trace: suppressed by it, both firing together, no notification meanwhile. With a name: listed in inhibitedBy. */
  toBeInhibitedBy(this: MatcherContext, received: unknown, source: AlertTrace | string) {
    assertTrace(received, 'toBeInhibitedBy');
    if (typeof source === 'string') {
      const ok = received.inhibitedBy.includes(source);
      return result(this, received, `to be inhibited by ${source}`, {
        ok,
        detail: `inhibitedBy is [${received.inhibitedBy.join(', ')}]`,
      });
    }
    return result(this, received, `to be inhibited by ${source.alertname}`, inhibitedBy(received, source));
  },
  toNotifyReceiver(this: MatcherContext, received: unknown, receiver: string) {
    assertTrace(received, 'toNotifyReceiver');
    return result(this, received, `to notify ${receiver}`, notifiesReceiver(received, receiver));
  },
  toResolve(this: MatcherContext, received: unknown, notBefore: string | null = null) {
    assertTrace(received, 'toResolve');
    return result(this, received, 'to resolve', resolvesAfter(received, notBefore));
  },
};

declare module 'vitest' {
  interface Matchers<T = any> {
    /** firingAt - pendingAt lies in [scaled for, scaled for + evaluation interval + 0.25 s]. */
    toFireWithinFor(): T;
    toNeverFire(): T;
    toBeInhibitedBy(source: AlertTrace | string): T;
    toNotifyReceiver(receiver: string): T;
    toResolve(notBefore?: string | null): T;
  }
}

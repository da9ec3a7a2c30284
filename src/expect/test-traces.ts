// Hand-made alert traces for unit tests of verdicts and matchers.
import type { AlertTrace } from '../observe/alert-trace.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

export function makeTrace(overrides: Partial<AlertTrace> & { alertname: string }): AlertTrace {
  const base: AlertTrace = {
    alertname: overrides.alertname,
    labels: { alertname: overrides.alertname, service: 'api' },
    forSeconds: 60,
    scaledForSeconds: 3,
    evaluationIntervalSeconds: 0.75,
    pendingAt: at(10),
    firingAt: at(13),
    resolvedAt: at(30),
    detectionSeconds: 0.5,
    inhibitedBy: [],
    suppressedFrom: null,
    suppressedUntil: null,
    notifications: [],
    episodes: [],
  };
  const trace = { ...base, ...overrides };
  if (!overrides.episodes) trace.episodes = [{ pendingAt: trace.pendingAt!, firingAt: trace.firingAt, resolvedAt: trace.resolvedAt }];
  return trace;
}

/** APIDown firing 13s..30s, notified to critical-alerts at 14.5s. */
export const apiDown = () =>
  makeTrace({ alertname: 'APIDown', notifications: [{ receiver: 'critical-alerts', status: 'firing', at: at(14.5) }] });

/** HighAPILatency firing 16s..32s, suppressed by APIDown, never notified. */
export const suppressedLatency = () =>
  makeTrace({
    alertname: 'HighAPILatency',
    forSeconds: 300,
    scaledForSeconds: 15,
    pendingAt: at(1),
    firingAt: at(16),
    resolvedAt: at(32),
    inhibitedBy: ['APIDown'],
    suppressedFrom: at(16.2),
    suppressedUntil: at(29.9),
  });

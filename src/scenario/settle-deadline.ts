import type { CompiledSystem } from '../compile/compile-system.ts';

/** Headroom for a busy 2-core machine on top of interval-derived deadlines. */
const BUSY_MACHINE_SLACK_MS = 5_000;

/**
 * How long an alert can legitimately stay active after its fault is reverted, or take to notify:
 * its longest PromQL window and keep_firing_for, a few scrapes and evaluations, and the slowest
 * route's group_wait + group_interval.
 */
export function settleDeadlineMs(compiled: CompiledSystem, alertnames: readonly string[]): number {
  const routeMs = Math.max(
    0,
    ...compiled.alertmanager.timings.filter((t) => t.field === 'group_wait').map((t) => t.scaledMs),
  ) + Math.max(0, ...compiled.alertmanager.timings.filter((t) => t.field === 'group_interval').map((t) => t.scaledMs));
  const ruleMs = Math.max(
    0,
    ...compiled.alerts
      .filter((a) => alertnames.includes(a.alertname))
      .map((a) => Math.max(0, ...a.windows.map((w) => w.scaledMs)) + a.scaledKeepFiringForMs + 3 * a.scaledEvaluationIntervalMs),
  );
  return Math.max(ruleMs, routeMs) + 3 * compiled.scrapeIntervalMs + compiled.resendDelayMs + BUSY_MACHINE_SLACK_MS;
}

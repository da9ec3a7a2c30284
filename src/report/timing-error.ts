import type { AlertTrace } from '../observe/alert-trace.ts';

/**
 * How far an alert's pending-to-firing time strayed from its scaled `for`, in milliseconds
 * (firing - pending - scaled for, less the evaluations Prometheus missed when it was due to fire);
 * undefined when it did not both go pending and fire. With the `for` a whole number of evaluation
 * intervals this is 0 when the rule fired at the first evaluation after its `for`.
 */
export function timingErrorMs(trace: Pick<AlertTrace, 'pendingAt' | 'firingAt' | 'scaledForSeconds' | 'evaluationIntervalSeconds' | 'missedEvaluationsAtFiring'>): number | undefined {
  if (trace.pendingAt === null || trace.firingAt === null) return undefined;
  return Date.parse(trace.firingAt) - Date.parse(trace.pendingAt) - Math.round(trace.scaledForSeconds * 1000) - missedMs(trace);
}

/** The lateness of firing that Prometheus' missed evaluations account for, in milliseconds. */
export function missedMs(trace: Pick<AlertTrace, 'evaluationIntervalSeconds' | 'missedEvaluationsAtFiring'>): number {
  return Math.round((trace.missedEvaluationsAtFiring ?? 0) * trace.evaluationIntervalSeconds * 1000);
}

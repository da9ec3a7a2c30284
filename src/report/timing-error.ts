import type { AlertTrace } from '../observe/alert-trace.ts';

/**
 * How far an alert's pending-to-firing time strayed from its scaled `for`, in milliseconds
 * (firing - pending - scaled for); undefined when it did not both go pending and fire. With the
 * `for` a whole number of evaluation intervals this is 0 when Prometheus evaluated on time.
 */
export function timingErrorMs(trace: Pick<AlertTrace, 'pendingAt' | 'firingAt' | 'scaledForSeconds'>): number | undefined {
  if (trace.pendingAt === null || trace.firingAt === null) return undefined;
  return Date.parse(trace.firingAt) - Date.parse(trace.pendingAt) - Math.round(trace.scaledForSeconds * 1000);
}

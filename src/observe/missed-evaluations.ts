/** The times of one alert episode that tell whether Prometheus evaluated its rule when it was due to fire. */
export interface FiringEvaluations {
  readonly pendingAtMs: number;
  readonly firingAtMs: number | null;
  /** The evaluation before the firing one (the last pending one). */
  readonly beforeFiringAtMs: number | null;
}

/**
 * How many evaluations Prometheus missed (a starved machine: `prometheus_rule_group_iterations_missed_total`)
 * when the alert was due to fire, at pending + its scaled `for`: the firing evaluation came later
 * than that, and none was made between the last pending one, before the due time, and it. The
 * alert then fired at the first evaluation Prometheus made after its `for`, and its lateness is
 * that many whole evaluation intervals, not the rule's. An evaluation made at or after the due
 * time that still found the alert pending is no missed evaluation: that lateness is the rule's.
 */
export function missedEvaluationsAtFiring(episode: FiringEvaluations, scaledForMs: number, evaluationIntervalMs: number): number {
  const { pendingAtMs, firingAtMs, beforeFiringAtMs } = episode;
  if (firingAtMs === null || beforeFiringAtMs === null || evaluationIntervalMs <= 0) return 0;
  const dueAtMs = pendingAtMs + scaledForMs;
  if (beforeFiringAtMs >= dueAtMs || firingAtMs <= dueAtMs) return 0;
  // Evaluations fall on the group's fixed slots, so with none missed the firing one is the first
  // slot at or after the due time: less than one interval after it when `for` is no whole number
  // of intervals (20 s against 15 s: due at 20, fired at 30, none missed). Each whole interval
  // beyond is a missed evaluation; the millisecond absorbs timestamps rounded to it.
  return Math.floor((firingAtMs - dueAtMs + 1) / evaluationIntervalMs);
}

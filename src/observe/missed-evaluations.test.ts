import { describe, expect, it } from 'vitest';
import { firesWithinFor } from '../expect/verdicts.ts';
import { timingErrorMs } from '../report/timing-error.ts';
import type { AlertTrace } from './alert-trace.ts';
import { toEpisodes, type AlertSample } from './alert-episodes.ts';
import { missedEvaluationsAtFiring } from './missed-evaluations.ts';

// A rule evaluated every 250 ms with a scaled `for` of 1 s: pending at 0, due to fire at 1_000.
const E = 250;
const FOR = 1_000;
/** One sample per evaluation Prometheus made, the alert active since 0 throughout. */
const evaluations = (pendingAt: readonly number[], firingAt: readonly number[]): AlertSample[] => [
  ...pendingAt.map((atMs) => ({ atMs, state: 'pending', activeAtS: 0 })),
  ...firingAt.map((atMs) => ({ atMs, state: 'firing', activeAtS: 0 })),
];

/** The trace the verdicts judge, from the episode `toEpisodes` reads out of the samples. */
function traceOf(samples: AlertSample[]): AlertTrace {
  const [episode] = toEpisodes(samples, E, 60_000);
  const missed = missedEvaluationsAtFiring(episode!, FOR, E);
  const iso = (ms: number | null) => (ms === null ? null : new Date(1_700_000_000_000 + ms).toISOString());
  return {
    alertname: 'SlowDatabaseQueries',
    labels: { alertname: 'SlowDatabaseQueries' },
    forSeconds: 40,
    scaledForSeconds: FOR / 1000,
    evaluationIntervalSeconds: E / 1000,
    pendingAt: iso(episode!.pendingAtMs),
    firingAt: iso(episode!.firingAtMs),
    resolvedAt: null,
    missedEvaluationsAtFiring: missed,
    detectionSeconds: null,
    inhibitedBy: [],
    suppressedFrom: null,
    suppressedUntil: null,
    notifications: [],
    episodes: [{ pendingAt: iso(episode!.pendingAtMs)!, firingAt: iso(episode!.firingAtMs), resolvedAt: null, missedEvaluationsAtFiring: missed }],
  };
}

describe('evaluations Prometheus missed when an alert was due to fire', () => {
  it('none when every evaluation was made: fired on time, timing error 0', () => {
    const trace = traceOf(evaluations([0, 250, 500, 750], [1_000, 1_250]));
    expect(trace.missedEvaluationsAtFiring).toBe(0);
    expect(timingErrorMs(trace)).toBe(0);
    expect(firesWithinFor(trace).ok).toBe(true);
  });

  it('counts the evaluations skipped from the due time to the firing one (seen in CI: 750 ms late on a starved Prometheus), and the verdict holds', () => {
    // 1_000, 1_250 and 1_500 were never evaluated: the first evaluation after the `for` fired.
    const trace = traceOf(evaluations([0, 250, 500, 750], [1_750, 2_000]));
    expect(trace.missedEvaluationsAtFiring).toBe(3);
    expect(timingErrorMs(trace)).toBe(0);
    const verdict = firesWithinFor(trace);
    expect(verdict.ok).toBe(true);
    expect(verdict.detail).toContain('of which 0.750s are 3 evaluations Prometheus missed when it was due (machine busy)');
  });

  it('does not excuse a rule that was evaluated when due and still pending: that lateness is the rule\'s', () => {
    // Evaluated at 1_000 and 1_250, still pending: the rule (say a longer `for`) held it back.
    const late = traceOf(evaluations([0, 250, 500, 750, 1_000, 1_250], [1_750]));
    expect(late.missedEvaluationsAtFiring).toBe(0);
    expect(timingErrorMs(late)).toBe(750);
    expect(firesWithinFor(late).ok).toBe(false);
  });

  it('does not count evaluations missed earlier in the pending time, which do not delay firing', () => {
    // 500 was skipped, 1_000 was made and fired on time.
    const early = traceOf(evaluations([0, 250, 750], [1_000]));
    expect(early.missedEvaluationsAtFiring).toBe(0);
    expect(timingErrorMs(early)).toBe(0);
    // Skipped before the due time, and made at it still pending: late by the rule (beyond one
    // interval and the tolerance the window allows).
    const stillLate = traceOf(evaluations([0, 250, 750, 1_000], [1_750]));
    expect(stillLate.missedEvaluationsAtFiring).toBe(0);
    expect(firesWithinFor(stillLate).ok).toBe(false);
  });

  it('does not excuse firing before the for: early is early', () => {
    const early = traceOf(evaluations([0, 250], [500]));
    expect(early.missedEvaluationsAtFiring).toBe(0);
    expect(timingErrorMs(early)).toBe(-500);
    expect(firesWithinFor(early).ok).toBe(false);
  });
});

describe('a `for` that is no whole number of evaluation intervals', () => {
  it('fires at the first evaluation after it with none missed, and the verdict holds; a skipped slot after that is counted', () => {
    // Evaluated every 15 s, `for` 20 s: due at 20, the first evaluation at or after it is 30.
    expect(missedEvaluationsAtFiring({ pendingAtMs: 0, firingAtMs: 30_000, beforeFiringAtMs: 15_000 }, 20_000, 15_000)).toBe(0);
    expect(missedEvaluationsAtFiring({ pendingAtMs: 0, firingAtMs: 45_000, beforeFiringAtMs: 15_000 }, 20_000, 15_000)).toBe(1);
    expect(missedEvaluationsAtFiring({ pendingAtMs: 0, firingAtMs: 60_000, beforeFiringAtMs: 15_000 }, 20_000, 15_000)).toBe(2);
    const at = (ms: number) => new Date(1_700_000_000_000 + ms).toISOString();
    const episode = { pendingAt: at(0), firingAt: at(30_000), resolvedAt: null, missedEvaluationsAtFiring: missedEvaluationsAtFiring({ pendingAtMs: 0, firingAtMs: 30_000, beforeFiringAtMs: 15_000 }, 20_000, 15_000) };
    const trace = { ...traceOf(evaluations([0], [1_000])), forSeconds: 20, scaledForSeconds: 20, evaluationIntervalSeconds: 15, episodes: [episode] };
    expect(firesWithinFor(trace, episode)).toMatchObject({ ok: true });
    // A whole number of intervals, as before: on time is 0, one slot late is 1.
    expect(missedEvaluationsAtFiring({ pendingAtMs: 0, firingAtMs: 1_250, beforeFiringAtMs: 750 }, 1_000, 250)).toBe(1);
  });
});

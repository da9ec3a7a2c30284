import type { ActiveAlert, PrometheusClient, RangeSeries } from './prometheus-client.ts';
import { seriesIdentity } from './series-identity.ts';

/** One pending -> firing -> resolved cycle of one alert, from the `ALERTS` series' own evaluation timestamps. */
export interface AlertEpisode {
  readonly pendingAtMs: number;
  readonly firingAtMs: number | null;
  /** The evaluation before the first firing one (the last pending one); null when it never fired, or fired at once. */
  readonly beforeFiringAtMs: number | null;
  /** The first evaluation at which the alert was no longer active; null while still active. */
  readonly resolvedAtMs: number | null;
}

export interface AlertHistory {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly episodes: readonly AlertEpisode[];
}

/** One evaluation's sample of an alert: its state, and when the alert became active (`ALERTS_FOR_STATE`, whole seconds). */
export interface AlertSample {
  readonly atMs: number;
  readonly state: string;
  readonly activeAtS?: number;
}

/**
 * Reads every alert's pending/firing samples between `fromMs` and `toMs`. Rule evaluations write
 * `ALERTS` at exact, evenly spaced timestamps, so a gap longer than 1.5 intervals ends an episode,
 * unless `ALERTS_FOR_STATE` shows the same activeAt on both sides: then Prometheus only missed an
 * evaluation (a busy machine), and the alert never stopped being active.
 */
export async function readAlertHistories(
  client: PrometheusClient,
  /** A series' evaluation interval, by its alertname and labels (the tiers of one alertname may sit in different groups). */
  evaluationIntervalMsOf: (alertname: string, labels: Readonly<Record<string, string>>) => number,
  fromMs: number,
  toMs: number,
  scaledForMsOf?: (alertname: string, labels: Readonly<Record<string, string>>) => number,
  /** Prometheus' alerts API, when the caller asks it for itself too (one request serves both). */
  activeAlerts: Promise<ActiveAlert[]> = client.alerts(),
): Promise<AlertHistory[]> {
  const rangeS = (toMs - fromMs) / 1000 + 1;
  const [series, forState, activeNow] = await Promise.all([
    client.rawSamples('ALERTS', rangeS, toMs / 1000),
    client.rawSamples('ALERTS_FOR_STATE', rangeS, toMs / 1000),
    activeAlerts,
  ]);
  const activeSince = new Map(activeNow.map((a) => [seriesIdentity(a.labels), Date.parse(a.activeAt)]));
  const activeAt = new Map<string, number>(); // identity@atMs -> activeAt (s)
  for (const s of forState) {
    const { __name__: _name, ...labels } = s.metric as Record<string, string>;
    for (const [ts, value] of s.values as RangeSeries['values']) activeAt.set(`${seriesIdentity(labels)}@${Math.round(ts * 1000)}`, Number(value));
  }
  const byIdentity = new Map<string, { key: string; labels: Record<string, string>; samples: AlertSample[] }>();
  for (const s of series) {
    const { alertstate, __name__: _name, ...labels } = s.metric as Record<string, string>;
    const key = seriesIdentity(labels);
    const entry = byIdentity.get(key) ?? { key, labels, samples: [] };
    byIdentity.set(key, entry);
    for (const [ts] of s.values as RangeSeries['values']) {
      const atMs = Math.round(ts * 1000);
      entry.samples.push({ atMs, state: alertstate ?? '', activeAtS: activeAt.get(`${key}@${atMs}`) });
    }
  }
  return [...byIdentity.values()].map(({ key, labels, samples }) => {
    const alertname = labels.alertname ?? '';
    return { alertname, labels, episodes: toEpisodes(samples, evaluationIntervalMsOf(alertname, labels), toMs, scaledForMsOf?.(alertname, labels), activeSince.get(key)) };
  });
}

/**
 * The episodes of one alert series. `activeSinceMs` is when Prometheus' alerts API, asked with the
 * samples, shows the series active since (undefined when it does not show it). `scaledForMs` (the rule's `for`, scaled) tells a missed
 * evaluation from a brief inactivity across a gap: `ALERTS_FOR_STATE` holds whole seconds, so an
 * alert that went inactive for an evaluation and active again within the same second shows the
 * same activeAt on both sides (seen in CI: an error ratio flickering at its threshold just after
 * it went pending). Prometheus counts `for` from the new activation; when the firing evaluation
 * came exactly `for` after the first sample past the gap, and not `for` after the first sample
 * of all, the gap was an inactivity and the episode splits there.
 */
export function toEpisodes(samples: AlertSample[], evaluationIntervalMs: number, queriedAtMs: number, scaledForMs?: number, activeSinceMs?: number): AlertEpisode[] {
  // Pending and firing samples of one evaluation share its timestamp; one per evaluation is enough.
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  const episodes: AlertEpisode[] = [];
  const episode = (run: AlertSample[], resolvedAtMs: number | null): AlertEpisode => {
    const firingIndex = run.findIndex((s) => s.state === 'firing');
    return {
      pendingAtMs: run[0]!.atMs,
      firingAtMs: run[firingIndex]?.atMs ?? null,
      beforeFiringAtMs: firingIndex > 0 ? run[firingIndex - 1]!.atMs : null,
      resolvedAtMs,
    };
  };
  let start = 0;
  /** Indexes of the first samples after gaps bridged by the same activeAt, in the current run. */
  let bridged: number[] = [];
  for (let i = 1; i <= sorted.length; i++) {
    const gap = i < sorted.length ? sorted[i]!.atMs - sorted[i - 1]!.atMs : Infinity;
    if (gap <= 1.5 * evaluationIntervalMs) continue;
    const before = sorted[i - 1]?.activeAtS;
    const missedEvaluation = i < sorted.length && before !== undefined && sorted[i]!.activeAtS === before;
    if (missedEvaluation) {
      bridged.push(i);
      continue;
    }
    const lastAtMs = sorted[i - 1]!.atMs;
    const nextEvaluationMs = lastAtMs + evaluationIntervalMs;
    // Samples that stop before the query look like a resolution, but a starved Prometheus skips
    // evaluations at the end as in the middle: an alert its alerts API still shows active since no
    // later than the last sample never ended.
    const stillActive = i === sorted.length && activeSinceMs !== undefined && activeSinceMs <= lastAtMs + 1;
    const resolvedAtMs = stillActive ? null : i < sorted.length || nextEvaluationMs <= queriedAtMs - evaluationIntervalMs / 2 ? nextEvaluationMs : null;
    const firing = sorted.slice(start, i).find((s) => s.state === 'firing');
    const reactivated = firing === undefined || scaledForMs === undefined ? undefined : reactivationBefore(sorted, start, bridged, firing.atMs, scaledForMs);
    if (reactivated !== undefined) {
      episodes.push(episode(sorted.slice(start, reactivated), sorted[reactivated - 1]!.atMs + evaluationIntervalMs));
      start = reactivated;
    }
    episodes.push(episode(sorted.slice(start, i), resolvedAtMs));
    start = i;
    bridged = [];
  }
  return episodes;
}

/** The bridged gap after which the alert really became active again, judged by when it fired (see toEpisodes). */
function reactivationBefore(sorted: readonly AlertSample[], start: number, bridged: readonly number[], firingAtMs: number, scaledForMs: number): number | undefined {
  const exactly = (fromMs: number) => Math.abs(firingAtMs - fromMs - scaledForMs) <= 1;
  if (exactly(sorted[start]!.atMs)) return undefined;
  return [...bridged].reverse().find((g) => sorted[g]!.atMs < firingAtMs && sorted[g]!.state === 'pending' && exactly(sorted[g]!.atMs));
}

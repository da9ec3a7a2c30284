import type { PrometheusClient, RangeSeries } from './prometheus-client.ts';

/** One pending -> firing -> resolved cycle of one alert, from the `ALERTS` series' own evaluation timestamps. */
export interface AlertEpisode {
  readonly pendingAtMs: number;
  readonly firingAtMs: number | null;
  /** The first evaluation at which the alert was no longer active; null while still active. */
  readonly resolvedAtMs: number | null;
}

export interface AlertHistory {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly episodes: readonly AlertEpisode[];
}

/**
 * Reads every alert's pending/firing samples between `fromMs` and `toMs`. Rule evaluations write
 * `ALERTS` at exact, evenly spaced timestamps, so a gap longer than 1.5 intervals ends an episode.
 */
export async function readAlertHistories(
  client: PrometheusClient,
  evaluationIntervalMsOf: (alertname: string) => number,
  fromMs: number,
  toMs: number,
): Promise<AlertHistory[]> {
  const series = await client.rawSamples('ALERTS', (toMs - fromMs) / 1000 + 1, toMs / 1000);
  const byIdentity = new Map<string, { labels: Record<string, string>; samples: { atMs: number; state: string }[] }>();
  for (const s of series) {
    const { alertstate, __name__: _name, ...labels } = s.metric as Record<string, string>;
    const key = JSON.stringify(Object.entries(labels).sort());
    const entry = byIdentity.get(key) ?? { labels, samples: [] };
    byIdentity.set(key, entry);
    for (const [ts] of s.values as RangeSeries['values']) entry.samples.push({ atMs: Math.round(ts * 1000), state: alertstate ?? '' });
  }
  return [...byIdentity.values()].map(({ labels, samples }) => {
    const alertname = labels.alertname ?? '';
    return { alertname, labels, episodes: toEpisodes(samples, evaluationIntervalMsOf(alertname), toMs) };
  });
}

export function toEpisodes(samples: { atMs: number; state: string }[], evaluationIntervalMs: number, queriedAtMs: number): AlertEpisode[] {
  const sorted = [...samples].sort((a, b) => a.atMs - b.atMs);
  const episodes: AlertEpisode[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const gap = i < sorted.length ? sorted[i]!.atMs - sorted[i - 1]!.atMs : Infinity;
    if (gap <= 1.5 * evaluationIntervalMs) continue;
    const run = sorted.slice(start, i);
    const firstFiring = run.find((s) => s.state === 'firing');
    const lastAtMs = run[run.length - 1]!.atMs;
    const nextEvaluationMs = lastAtMs + evaluationIntervalMs;
    episodes.push({
      pendingAtMs: run[0]!.atMs,
      firingAtMs: firstFiring?.atMs ?? null,
      resolvedAtMs: i < sorted.length || nextEvaluationMs <= queriedAtMs - evaluationIntervalMs / 2 ? nextEvaluationMs : null,
    });
    start = i;
  }
  return episodes;
}

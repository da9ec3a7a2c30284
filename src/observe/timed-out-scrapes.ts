import type { PrometheusClient, RangeSeries } from './prometheus-client.ts';
import { seriesIdentity } from './series-identity.ts';

/** A scrape (or a blackbox probe) that failed because it ran out of time, not because its target said no. */
export interface TimedOutScrape {
  readonly what: 'scrape' | 'probe';
  readonly job: string;
  readonly instance: string;
  readonly atMs: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
}

/**
 * A failure counts as a timeout when it took at least this share of its timeout: a refused
 * connection, an error status or a failed probe check ends in milliseconds, a timeout at the
 * deadline (a little past it on a starved machine).
 */
const TIMEOUT_SHARE = 0.9;

/** Where the two families of a check live: its outcome (0 = failed) and how long it took. */
const CHECKS = [
  { what: 'scrape', outcome: 'up', duration: 'scrape_duration_seconds' },
  { what: 'probe', outcome: 'probe_success', duration: 'probe_duration_seconds' },
] as const;

export interface TimeoutsOf {
  /** The scaled scrape timeout of a job, wall ms; undefined for a job firedrill did not compile. */
  readonly scrape: (job: string) => number | undefined;
  /** How long a blackbox probe of that job may run before it gives up, wall ms. */
  readonly probe: (job: string) => number | undefined;
}

/**
 * Every scrape and probe in [fromMs, toMs] that failed at its timeout, read from Prometheus' raw
 * samples: a failed scrape's `up` 0 and its `scrape_duration_seconds` share one timestamp, as do a
 * probe's `probe_success` and `probe_duration_seconds`.
 */
export async function timedOutScrapes(prometheus: PrometheusClient, timeouts: TimeoutsOf, fromMs: number, toMs: number): Promise<TimedOutScrape[]> {
  const rangeSeconds = (toMs - fromMs) / 1000;
  const found = await Promise.all(
    CHECKS.map(async (check) => {
      const [outcomes, durations] = await Promise.all([
        prometheus.rawSamples(check.outcome, rangeSeconds, toMs / 1000),
        prometheus.rawSamples(check.duration, rangeSeconds, toMs / 1000),
      ]);
      return matchTimeouts(check.what, outcomes, durations, (job) => timeouts[check.what](job)).filter((t) => t.atMs >= fromMs);
    }),
  );
  return found.flat().sort((a, b) => a.atMs - b.atMs);
}

/**
 * The failed samples of `outcomes` whose same-timestamp duration sample, of the same target (all
 * its labels: job, instance and whatever relabelling added, such as a probe's module), reached the
 * job's timeout.
 */
export function matchTimeouts(what: TimedOutScrape['what'], outcomes: readonly RangeSeries[], durations: readonly RangeSeries[], timeoutOf: (job: string) => number | undefined): TimedOutScrape[] {
  const durationsBy = new Map(durations.map((d) => [seriesIdentity(d.metric), new Map(d.values.map(([t, v]) => [t, Number(v)]))]));
  return outcomes.flatMap((series) => {
    const job = series.metric.job ?? '';
    const timeoutMs = timeoutOf(job);
    const took = durationsBy.get(seriesIdentity(series.metric));
    if (timeoutMs === undefined || !took) return [];
    return series.values.flatMap(([t, value]): TimedOutScrape[] => {
      const durationS = took.get(t);
      if (Number(value) !== 0 || durationS === undefined || durationS * 1000 < TIMEOUT_SHARE * timeoutMs) return [];
      return [{ what, job, instance: series.metric.instance ?? '', atMs: Math.round(t * 1000), durationMs: Math.round(durationS * 1000), timeoutMs }];
    });
  });
}

import { FiredrillError } from '../errors.ts';
import { getJson } from '../observe/http-json.ts';

/** How a series moves: counters only go up (a drop is a reset), gauges are read as they are. */
export type SeriesKind = 'counter' | 'gauge';

export interface RecordedSeries {
  /** Every label, `__name__` included. */
  readonly labels: Readonly<Record<string, string>>;
  readonly kind: SeriesKind;
  /** The value at each of its target's scrapes; NaN where the scrape did not have it. */
  readonly values: Float64Array;
}

/** One scrape target of the recording: when it was scraped, and every series it gave. */
export interface RecordedTarget {
  readonly job: string;
  readonly instance: string;
  readonly scrapesMs: readonly number[];
  /** `up` at each scrape: 1 when the scrape worked. */
  readonly up: Float64Array;
  readonly series: readonly RecordedSeries[];
}

interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

type Metadata = Record<string, { type: string }[]>;

/**
 * Every raw sample Prometheus scraped between `fromMs` and `toMs`, by target: what the services and
 * exporters emitted, as Prometheus stored it. Series of rules (`exclude`, ALERTS) are left out.
 */
export async function readRecording(prometheusUrl: string, fromMs: number, toMs: number, exclude: ReadonlySet<string>): Promise<RecordedTarget[]> {
  const rangeMs = Math.ceil(toMs - fromMs);
  const query = `{job!=""}[${rangeMs}ms]`;
  const [samples, metadata] = await Promise.all([
    getJson<{ data: { result: MatrixSeries[] } }>(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}&time=${toMs / 1000}`, 60_000),
    getJson<{ data: Metadata }>(`${prometheusUrl}/api/v1/metadata`),
  ]);
  const kindOf = seriesKinds(metadata.data);
  const byTarget = new Map<string, MatrixSeries[]>();
  for (const series of samples.data.result) {
    const name = series.metric.__name__ ?? '';
    if (exclude.has(name) || name === 'ALERTS' || name === 'ALERTS_FOR_STATE') continue;
    const key = `${series.metric.job}\u0000${series.metric.instance ?? ''}`;
    const list = byTarget.get(key);
    if (list) list.push(series);
    else byTarget.set(key, [series]);
  }
  const targets: RecordedTarget[] = [];
  for (const [key, all] of byTarget) {
    const [job, instance] = key.split('\u0000') as [string, string];
    const upSeries = all.find((s) => s.metric.__name__ === 'up');
    if (!upSeries) throw new FiredrillError('ENVIRONMENT', `populate: target ${job} ${instance} has series but no up in the recording`);
    const scrapesMs = upSeries.values.map(([t]) => Math.round(t * 1000));
    const index = new Map(scrapesMs.map((ms, i) => [ms, i]));
    const series = all.map((s): RecordedSeries => {
      const values = new Float64Array(scrapesMs.length).fill(Number.NaN);
      for (const [t, v] of s.values) {
        const i = index.get(Math.round(t * 1000));
        if (i !== undefined) values[i] = Number(v);
      }
      return { labels: s.metric, kind: kindOf(s.metric.__name__ ?? ''), values };
    });
    targets.push({ job, instance, scrapesMs, up: series[all.indexOf(upSeries)]!.values, series });
  }
  return targets.sort((a, b) => a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance));
}

const COUNTER_SUFFIXES = ['_bucket', '_count', '_sum', '_total'];

/**
 * A series' kind from the targets' metadata: counters, and the buckets, counts and sums of
 * histograms and summaries, are counters; everything else (gauges, summary quantiles, untyped,
 * `up`) is read as a gauge.
 */
export function seriesKinds(metadata: Metadata): (name: string) => SeriesKind {
  const typeOf = (name: string) => metadata[name]?.[0]?.type;
  return (name) => {
    const own = typeOf(name);
    if (own === 'counter') return 'counter';
    if (own !== undefined && own !== 'unknown') return 'gauge';
    for (const suffix of COUNTER_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const family = typeOf(name.slice(0, -suffix.length));
      if (family === 'counter' || family === 'histogram' || family === 'summary') return 'counter';
    }
    return 'gauge';
  };
}

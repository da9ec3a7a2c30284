import { formatDurationMs, parseDurationMs } from '../duration.ts';

/** Grafana's ladder of "nice" intervals (`roundInterval` of @grafana/data's rangeutil): [below this ms, use this ms]. */
const LADDER: readonly (readonly [number, number])[] = [
  [10, 1], [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1_500, 1_000], [3_500, 2_000],
  [7_500, 5_000], [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000],
  [210_000, 120_000], [450_000, 300_000], [750_000, 600_000], [1_050_000, 900_000], [1_500_000, 1_200_000],
  [2_700_000, 1_800_000], [5_400_000, 3_600_000], [9_000_000, 7_200_000], [16_200_000, 10_800_000],
  [32_400_000, 21_600_000], [86_400_000, 43_200_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000],
  [3_628_800_000, 2_592_000_000],
];

export function roundInterval(ms: number): number {
  return LADDER.find(([below]) => ms < below)?.[1] ?? 31_536_000_000;
}

/** What Grafana knows when it expands a panel's query. */
export interface QueryWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** Max data points: the panel's, else the graph's width in pixels. */
  readonly maxDataPoints: number;
  /** The data source's scrape interval (its "Scrape interval" setting, 15s by default). */
  readonly scrapeIntervalMs: number;
  /** The panel's "Min interval", if set. */
  readonly panelMinIntervalMs?: number;
  /** The query's "Min step", if set: it stands in for the scrape interval in `$__rate_interval`. */
  readonly queryMinStepMs?: number;
}

/** Grafana's built-in interval variables for one query, in milliseconds. */
export interface GrafanaIntervals {
  readonly intervalMs: number;
  readonly rateIntervalMs: number;
  readonly rangeMs: number;
}

/**
 * `$__interval`: the range over the max data points, rounded to Grafana's ladder, at least the
 * min interval (the panel's, else the data source's scrape interval). `$__rate_interval`:
 * max($__interval + scrape, 4 x scrape), scrape being the query's min step when set.
 */
export function grafanaIntervals(w: QueryWindow): GrafanaIntervals {
  const rangeMs = w.toMs - w.fromMs;
  const lowLimitMs = w.queryMinStepMs ?? w.panelMinIntervalMs ?? w.scrapeIntervalMs;
  const intervalMs = Math.max(roundInterval(rangeMs / w.maxDataPoints), lowLimitMs);
  const scrapeMs = w.queryMinStepMs ?? w.scrapeIntervalMs;
  return { intervalMs, rateIntervalMs: Math.max(intervalMs + scrapeMs, 4 * scrapeMs), rangeMs };
}

/** Grafana's interval variables substituted: `$__rate_interval` before `$__interval`, whose name it starts with. */
export function expandIntervals(expr: string, i: GrafanaIntervals): string {
  const d = (ms: number) => formatDurationMs(ms);
  return expr
    .replace(/\$\{?__rate_interval\}?/g, d(i.rateIntervalMs))
    .replace(/\$\{?__interval_ms\}?/g, String(i.intervalMs))
    .replace(/\$\{?__interval\}?/g, d(i.intervalMs))
    .replace(/\$\{?__range_ms\}?/g, String(i.rangeMs))
    .replace(/\$\{?__range_s\}?/g, String(Math.round(i.rangeMs / 1000)))
    .replace(/\$\{?__range\}?/g, `${Math.round(i.rangeMs / 1000)}s`);
}

/** `15s` -> 15000; the panel and query interval fields accept Grafana's forms (`>15s` means at least 15s). */
export function grafanaDurationMs(text: string | undefined, where: string): number | undefined {
  if (!text) return undefined;
  return parseDurationMs(text.replace(/^>/, ''), where, 'seconds');
}

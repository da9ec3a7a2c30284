import { parseDurationMs } from '../duration.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import { counterWindows } from '../observe/promql-parts.ts';
import { queriedPanels, type GrafanaDashboard } from './grafana-dashboard.ts';
import { expandIntervals, grafanaDurationMs, grafanaIntervals } from './grafana-interval.ts';
import { resolveVariables, substituteVariables, variablesIn } from './template-variables.ts';

/** One target of one panel, queried as Grafana would. */
export interface PanelGrade {
  readonly dashboard: string;
  readonly row?: string;
  readonly panel: string;
  readonly refId: string;
  /** The query as written in the dashboard. */
  readonly query: string;
  /** The query Grafana would send: variables and intervals substituted. */
  readonly expanded: string;
  readonly grade: 'ok' | 'empty' | 'error';
  readonly reason: string;
  /** What the query returned (the first few series), for the preview. */
  readonly series?: readonly { readonly labels: Readonly<Record<string, string>>; readonly values: readonly [number, number | null][] }[];
}

/** Series of one target kept for the preview: a panel shows a handful, not hundreds. */
const PREVIEW_SERIES = 6;

export interface CheckWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** Grafana's data source "Scrape interval" setting (15s unless set): what `$__rate_interval` is computed from. */
  readonly scrapeIntervalMs: number;
  /** How often Prometheus really scrapes: a rate window holding fewer than two of these is empty. */
  readonly actualScrapeIntervalMs: number;
  /** Points per panel when the panel sets none (Grafana uses the graph's width in pixels). */
  readonly maxDataPoints: number;
}

/**
 * Every query of every panel (rows and nested panels included) run over the window as Grafana
 * would run it: template variables resolved through label values (`All` and multi-value as
 * regexes), `$__interval`, `$__rate_interval` and `$__range` computed as Grafana computes them,
 * then a range query at `$__interval` steps. A panel target is ok when a series has a value,
 * empty when none has (with the reason: a variable that matched nothing, a rate window shorter
 * than two scrapes, or no series at all), error when Prometheus refused the query.
 */
export async function checkDashboard(dashboard: GrafanaDashboard, prometheusUrl: string, window: CheckWindow): Promise<PanelGrade[]> {
  const prometheus = new PrometheusClient(prometheusUrl);
  const variables = await resolveVariables(dashboard.templating?.list ?? [], prometheusUrl, window.fromMs, window.toMs);
  const grades: PanelGrade[] = [];
  for (const { row, panel } of queriedPanels(dashboard)) {
    for (const [i, target] of (panel.targets ?? []).entries()) {
      if (!target.expr || target.hide) continue;
      const title = panel.title ?? `panel ${panel.id ?? '?'}`;
      const where = `${dashboard.title}: ${title}`;
      const intervals = grafanaIntervals({
        fromMs: window.fromMs,
        toMs: window.toMs,
        maxDataPoints: panel.maxDataPoints ?? window.maxDataPoints,
        scrapeIntervalMs: window.scrapeIntervalMs,
        panelMinIntervalMs: grafanaDurationMs(panel.interval, `${where}: interval`),
        queryMinStepMs: grafanaDurationMs(target.interval, `${where}: targets[${i}].interval`),
      });
      const expanded = substituteVariables(expandIntervals(target.expr, intervals), variables);
      const base = { dashboard: dashboard.title, ...(row ? { row } : {}), panel: title, refId: target.refId ?? String.fromCharCode(65 + i), query: target.expr };
      const unmatched = variablesIn(target.expr).map((name) => variables.find((v) => v.name === name)).filter((v) => v && v.substitute === undefined);
      const unknown = variablesIn(target.expr).filter((name) => !variables.some((v) => v.name === name));
      if (unknown.length > 0) {
        grades.push({ ...base, expanded, grade: 'error', reason: `uses $${unknown.join(', $')}, which the dashboard does not define` });
        continue;
      }
      if (unmatched.length > 0) {
        grades.push({ ...base, expanded, grade: 'empty', reason: unmatched.map((v) => v!.problem).join('; ') });
        continue;
      }
      try {
        const series = await prometheus.range(expanded, window.fromMs, window.toMs, intervals.intervalMs);
        const points = series.reduce((n, s) => n + s.values.filter(([, v]) => Number.isFinite(Number(v))).length, 0);
        const kept = series.slice(0, PREVIEW_SERIES).map((x) => ({ labels: { ...x.metric }, values: x.values.map(([t, v]): [number, number | null] => [t, Number.isFinite(Number(v)) ? Number(v) : null]) }));
        grades.push({ ...base, expanded, grade: points > 0 ? 'ok' : 'empty', reason: points > 0 ? `${series.length} series, ${points} points` : emptyReason(expanded, window, series.length), series: kept });
      } catch (error) {
        grades.push({ ...base, expanded, grade: 'error', reason: (error as Error).message.split('\n')[0]! });
      }
    }
  }
  return grades;
}

/** Why a query that Prometheus accepted returned nothing: the causes a person would look for first. */
function emptyReason(expanded: string, window: CheckWindow, seriesCount: number): string {
  const scrapeMs = window.actualScrapeIntervalMs;
  const short = counterWindows(expanded).find((w) => parseDurationMs(w.range, expanded, 'seconds') < 2 * scrapeMs);
  if (short) {
    const setting = window.scrapeIntervalMs < scrapeMs ? `; the data source's scrape interval (${window.scrapeIntervalMs / 1000}s) is below Prometheus' (${scrapeMs / 1000}s): set it to ${scrapeMs / 1000}s` : '';
    return `the rate window [${short.range}] of ${short.selector} holds fewer than two scrapes at Prometheus' ${scrapeMs / 1000}s scrape interval, so it is empty${setting}; use $__rate_interval or a window of at least ${(4 * scrapeMs) / 1000}s`;
  }
  return seriesCount === 0 ? 'no series: the metric or its labels match nothing in the populated range (a renamed metric, a wrong label?)' : 'series without a single value in the range';
}

import type { RuleValues, ScenarioResult } from '../run-result.ts';

/** One chart of the page: aligned columns for uPlot, drawn by the page's script. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** Unix seconds. */
  readonly x: number[];
  readonly series: { label: string; values: (number | null)[]; color: string }[];
  /** Drawn as a dashed line across the chart. */
  readonly threshold: number | null;
  /** Vertical marks: faults injected and reverted (unix seconds). */
  readonly marks: { label: string; at: number }[];
}

const SERIES_COLORS = ['#1f77b4', '#9467bd', '#17becf'];

export function faultMarks(scenario: ScenarioResult): ChartSpec['marks'] {
  return scenario.faults.flatMap((f) => [
    { label: `${f.kind} ${f.target}`, at: Date.parse(f.injectedAt) / 1000 },
    ...(f.revertedAt ? [{ label: `revert ${f.target}`, at: Date.parse(f.revertedAt) / 1000 }] : []),
  ]);
}

/** Requests and failures per wall second; null when firedrill sent none (or an older result has no timeline). */
export function trafficChart(scenario: ScenarioResult, id: string): ChartSpec | null {
  const points = scenario.trafficTimeline ?? [];
  if (!points.some((p) => p.requests > 0)) return null;
  return {
    id,
    title: 'traffic: requests and failures per second',
    x: points.map((p) => Date.parse(p.at) / 1000),
    series: [
      { label: 'requests/s', values: points.map((p) => p.requests), color: '#2ca02c' },
      { label: 'failures/s', values: points.map((p) => p.failures), color: '#d62728' },
    ],
    threshold: null,
    marks: faultMarks(scenario),
  };
}

/** A judged rule's value (up to three series, joined on their timestamps) with its threshold. */
export function ruleChart(scenario: ScenarioResult, rule: RuleValues, id: string): ChartSpec {
  const x = [...new Set(rule.series.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  return {
    id,
    title: `${rule.alert}: ${rule.query.replace(/\s+/g, ' ')}${rule.threshold ? `  (fires at ${rule.threshold})` : ''}`,
    x,
    series: rule.series.map((s, i) => {
      const byTime = new Map(s.values);
      const labels = Object.entries(s.labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${v}"`).join(',');
      return { label: labels ? `{${labels}}` : 'value', values: x.map((t) => byTime.get(t) ?? null), color: SERIES_COLORS[i % SERIES_COLORS.length]! };
    }),
    threshold: rule.thresholdValue ?? null,
    marks: faultMarks(scenario),
  };
}

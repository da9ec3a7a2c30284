import type { CompiledRule } from '../compile/rule-files.ts';
import type { PrometheusClient } from './prometheus-client.ts';
import { valueAndThreshold, vectorSelectors } from './promql-parts.ts';

/** Moments of a drill at which a failed verdict shows what the rule watched. */
export interface DrillMarks {
  readonly startMs: number;
  readonly faultMs?: number;
  readonly revertMs?: number;
  readonly endMs: number;
}

export interface ValuePoint {
  readonly label: 'before the fault' | 'at the fault' | 'at the revert' | 'at the end' | 'at its highest' | 'at its lowest';
  readonly at: string;
  /** The value at or just before `at`; null when the series had no value then. */
  readonly value: number | null;
}

/** What an alert's expression evaluated to over a drill, beside its threshold. */
export interface ValueSeries {
  /** The value's expression as the user wrote it (rule time); the query ran on its scaled form. */
  readonly query: string;
  readonly threshold: string;
  /** The threshold's number (`0.05` of `> 0.05`); null when the expression compares against none. */
  readonly thresholdValue: number | null;
  readonly series: { readonly labels: Record<string, string>; readonly points: ValuePoint[]; readonly values: [number, number][] }[];
  /**
   * When `series` is empty: the selectors of the expression that had no series over the drill
   * either (a metric or label the targets do not expose); empty when every selector had some,
   * so that the expression itself matched none of them together. Absent in older results.
   */
  readonly emptySelectors?: readonly string[];
}

/** At most this many series of one expression are kept: the ones whose labels match the alert's. */
const MAX_SERIES = 3;

/**
 * The value the rule compares against its threshold (its expression without the comparison),
 * over the drill from a range query at its evaluation interval, with the values before the fault,
 * at the fault, at the revert and at the end picked out: "detected late" or "never came back
 * down" can be read off it.
 */
export async function ruleValueSeries(prometheus: PrometheusClient, rule: CompiledRule, alertLabels: Readonly<Record<string, string>>, marks: DrillMarks): Promise<ValueSeries> {
  const { value, threshold } = valueAndThreshold(rule.scaledExpr);
  const stepMs = rule.scaledEvaluationIntervalMs;
  const result = await prometheus.range(value, marks.startMs, marks.endMs, stepMs);
  const agrees = (labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => k === '__name__' || alertLabels[k] === undefined || alertLabels[k] === v);
  const matching = result.filter((s) => agrees(s.metric as Record<string, string>));
  const chosen = (matching.length > 0 ? matching : result).slice(0, MAX_SERIES);
  const wanted: [ValuePoint['label'], number | undefined][] = [
    ['before the fault', marks.faultMs === undefined ? undefined : marks.faultMs - stepMs],
    ['at the fault', marks.faultMs],
    ['at the revert', marks.revertMs],
    ['at the end', marks.endMs],
  ];
  const emptySelectors = result.length > 0 ? undefined : await selectorsWithoutSeries(prometheus, value, marks, stepMs);
  return {
    // What the user wrote, not `[7s500ms]`: the scaled form is ours, and reads as a typo in a report.
    query: rule.expr === undefined ? value : valueAndThreshold(rule.expr).value,
    threshold,
    thresholdValue: thresholdNumber(threshold),
    ...(emptySelectors ? { emptySelectors } : {}),
    series: chosen.map((s) => {
      const values = s.values.map(([t, v]): [number, number] => [t, sampleValue(String(v))]);
      const valueAt = (ms: number) => values.filter(([t]) => t * 1000 <= ms).at(-1)?.[1] ?? null;
      const nearest = nearestToThreshold(values, threshold);
      return {
        labels: { ...(s.metric as Record<string, string>) },
        points: [
          ...wanted.flatMap(([label, ms]) => (ms === undefined ? [] : [{ label, at: new Date(ms).toISOString(), value: valueAt(ms) }])),
          ...(nearest ? [nearest] : []),
        ],
        values,
      };
    }),
  };
}

/** `before the fault 0.002, at the fault 0.004, ...; threshold > 0.05`, one line per series. */
export function describeValueSeries(v: ValueSeries): string[] {
  const round = (n: number | null) => (n === null ? 'none' : Number.isFinite(n) ? String(Math.round(n * 10_000) / 10_000) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');
  if (v.series.length === 0) return [`value of ${v.query.replace(/\s+/g, ' ')}: no data over the drill${whyNoData(v.emptySelectors)}`];
  return v.series.map((s) => {
    const labels = Object.entries(s.labels).filter(([k]) => k !== '__name__').map(([k, val]) => `${k}="${val}"`).join(',');
    return `value${labels ? `{${labels}}` : ''}: ${s.points.map((p) => `${p.label} ${round(p.value)}`).join(', ')}${v.threshold ? `; threshold ${v.threshold}` : ''}`;
  });
}

function whyNoData(empty: readonly string[] | undefined): string {
  if (empty === undefined) return '';
  if (empty.length === 0) return ': each of its selectors had series, but the expression matched none of them together (check the labels its on()/by() and comparisons join on)';
  return `: ${empty.join(', ')} had no series at all (a metric name or label value the targets do not expose, or a job that was not scraped)`;
}

/** Each distinct selector of `expr` whose series were absent over the whole drill. */
async function selectorsWithoutSeries(prometheus: PrometheusClient, expr: string, marks: DrillMarks, stepMs: number): Promise<string[]> {
  const selectors = [...new Set(vectorSelectors(expr))];
  const empty = await Promise.all(selectors.map(async (selector) => ((await prometheus.range(`count(${selector})`, marks.startMs, marks.endMs, stepMs)).length === 0 ? selector : undefined)));
  return empty.filter((s): s is string => s !== undefined);
}

/**
 * The value that came closest to crossing the threshold: the highest for `> t` (or `t <`), the
 * lowest for `< t`. A count or a rate can have fallen back by the end, and the marks alone would
 * hide how near it came (or that it never moved).
 */
export function nearestToThreshold(values: readonly [number, number][], threshold: string): ValuePoint | undefined {
  const trimmed = threshold.trim();
  const upward = /^>/.test(trimmed) || /<=?$/.test(trimmed);
  const downward = /^</.test(trimmed) || />=?$/.test(trimmed);
  if (upward === downward) return undefined; // ==, != or no comparison: no side to come close from
  const numbers = values.filter(([, v]) => !Number.isNaN(v));
  if (numbers.length === 0) return undefined;
  const [t, v] = numbers.reduce((best, point) => ((upward ? point[1] > best[1] : point[1] < best[1]) ? point : best));
  return { label: upward ? 'at its highest' : 'at its lowest', at: new Date(t * 1000).toISOString(), value: v };
}

/** A sample as Prometheus' API writes it: a number, or `+Inf`, `-Inf`, `NaN` (a ratio over no requests, say). */
function sampleValue(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

/** `> 0.05` -> 0.05, `2 <` -> 2; null for no threshold or a duration literal. */
function thresholdNumber(threshold: string): number | null {
  const n = Number(threshold.replace(/[<>=!]/g, '').trim());
  return threshold && Number.isFinite(n) ? n : null;
}

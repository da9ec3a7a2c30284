import { parser } from '@prometheus-io/lezer-promql';
import type { CompiledRule } from '../compile/rule-files.ts';
import { recordingRules } from '../compile/recording-rules.ts';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { valueAndThreshold } from '../observe/promql-parts.ts';

const UNIT_MS: readonly [RegExp, number][] = [
  [/_(milliseconds|ms)$/, 1],
  [/_seconds$|_duration$|_duration_seconds$/, 1_000],
];
const MAX_RECORD_DEPTH = 5;

/**
 * Wall milliseconds an alert needs before its value can pass its threshold, when that value is a
 * time compared with `>`: a query cannot have run longer than 5 s sooner than 5 s after it
 * started, at any scale, because such thresholds are real time. A time is a gauge in seconds (a
 * transaction's age), a quantile of a seconds histogram, or an average from its `_sum`; a rate of
 * `_count` or of buckets is a number of events, not a time. 0 for anything else.
 */
export function timeValuedThresholdMs(rule: CompiledRule, compiled: CompiledSystem): number {
  return timeThresholdMs(rule.expr, recordingRules(compiled.ruleFiles.map((f) => f.doc)), compiled.scale);
}

/**
 * timeValuedThresholdMs for an expression, with the recording rules it may read. An age read off
 * the clock (`time() - last_success_timestamp_seconds > 3600`) is rule time, compiled times the
 * scale (scale-promql.ts): it passes its threshold in threshold / scale of wall time.
 */
export function timeThresholdMs(expr: string, records: ReadonlyMap<string, string>, scale = 1): number {
  const { value, threshold, direction } = valueAndThreshold(expr);
  if (direction !== 'above') return 0;
  const limit = Number(/-?\d+(\.\d+)?(e-?\d+)?/i.exec(threshold)?.[0]);
  if (!Number.isFinite(limit) || limit <= 0) return 0;
  if (readsClock(value, records, 0)) return (limit * 1_000) / scale;
  const unit = timeUnitMs(value, records, 0);
  return unit === 0 ? 0 : limit * unit;
}

/** Whether an expression, or a recording rule it reads, takes time() or timestamp(). */
function readsClock(expr: string, records: ReadonlyMap<string, string>, depth: number): boolean {
  let reads = false;
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name === 'Time' || ref.name === 'Timestamp') reads = true;
      if (ref.name !== 'Identifier' || ref.node.parent?.name !== 'VectorSelector' || depth >= MAX_RECORD_DEPTH) return;
      const recorded = records.get(expr.slice(ref.from, ref.to));
      if (recorded !== undefined && readsClock(recorded, records, depth + 1)) reads = true;
    },
  });
  return reads;
}

/** Milliseconds per unit of the time an expression computes, or 0 when it computes no time. */
function timeUnitMs(expr: string, records: ReadonlyMap<string, string>, depth: number): number {
  let unit = 0;
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== 'Identifier' || ref.node.parent?.name !== 'VectorSelector') return;
      const name = expr.slice(ref.from, ref.to);
      const recorded = records.get(name);
      if (recorded !== undefined) {
        if (depth < MAX_RECORD_DEPTH) unit = Math.max(unit, timeUnitMs(recorded, records, depth + 1));
        return;
      }
      const base = name.replace(/_(bucket|sum|count|total)$/, '');
      const suffix = name.slice(base.length);
      const perUnit = UNIT_MS.find(([pattern]) => pattern.test(base))?.[1] ?? 0;
      if (perUnit === 0 || suffix === '_count' || suffix === '_total') return;
      if (suffix === '_bucket' && !insideQuantile(ref.node, expr)) return;
      unit = Math.max(unit, perUnit);
    },
  });
  return unit;
}

type Node = { name: string; from: number; to: number; parent: Node | null; firstChild: Node | null };

function insideQuantile(node: Node, expr: string): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.name === 'FunctionCall' && n.firstChild && expr.slice(n.firstChild.from, n.firstChild.to) === 'histogram_quantile') return true;
  }
  return false;
}

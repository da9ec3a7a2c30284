import path from 'node:path';
import { globSync } from 'tinyglobby';
import { badInput } from '../errors.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { scalePromql, type PromqlWindow, type ScaledPromql, type SeriesRead } from './scale-promql.ts';
import { asList, asMap, relativeName, type YamlMap } from './yaml-file.ts';

/** An alerting rule as written and as compiled. */
export interface CompiledRule {
  readonly alertname: string;
  readonly group: string;
  readonly file: string;
  readonly expr: string;
  readonly scaledExpr: string;
  readonly forMs: number;
  readonly scaledForMs: number;
  /** As written (rule time); 0 without one. */
  readonly keepFiringForMs: number;
  readonly scaledKeepFiringForMs: number;
  /** Wall milliseconds between evaluations of the rule's group. */
  readonly scaledEvaluationIntervalMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly windows: readonly PromqlWindow[];
  /**
   * The longest range a selector of the expression reads through, rule time: its own range and the
   * subquery ranges around it, summed; 0 when it has none.
   */
  readonly longestRangeMs: number;
  /**
   * The offset every selector of the expression is read at (the least of theirs, rule time; 0 when
   * one has none): it delays every sight of a fault (`x offset 5m > 1`). An offset on only some
   * selectors is a comparison with the past (`> 2 * rate(x[5m] offset 1d)`) and delays nothing.
   */
  readonly sharedOffsetMs: number;
  /** The furthest back any selector reads (its ranges plus its offsets, rule time): the history a drill needs before its first fault. */
  readonly lookbackMs: number;
  /** How far back each selector of the expression reads, as written (see `SeriesRead`). */
  readonly reads: readonly SeriesRead[];
  /**
   * Reads of the clock no scale rewrite makes rule time (`scalePromql`), its own and those of the
   * recording rules it reads: above scale 1 no verdict on the alert means what it would in production.
   */
  readonly clockReads: readonly string[];
}

export interface CompiledRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly scaledIntervalMs: number;
  /** `expr`: the rule's expression as written, for the scrape jobs its matchers name. */
  readonly windows: readonly { rule: string; expr: string; window: PromqlWindow }[];
  /** Reads of the clock no scale rewrite can make rule time (see `scalePromql`). */
  readonly clockReads: readonly { rule: string; read: string }[];
  /** How far back each selector of each rule reads, as written (see `SeriesRead`): an alert over a recorded series reads through them. */
  readonly reads: readonly { rule: string; read: SeriesRead }[];
}

export interface CompiledRuleFile {
  readonly source: string;
  readonly doc: YamlMap;
  readonly groups: readonly CompiledRuleGroup[];
  readonly alerts: readonly CompiledRule[];
}

/** Expands `rule_files` patterns relative to the Prometheus config's directory. */
export function resolveRuleFiles(patterns: readonly string[], configFile: string): string[] {
  const base = path.dirname(configFile);
  return patterns.flatMap((pattern) => {
    const files = globSync(pattern, { cwd: base, absolute: true }).sort();
    if (files.length === 0) throw badInput(`${relativeName(configFile)}: rule_files entry '${pattern}' matches no file`);
    return files;
  });
}

/** Scales every timing of one rule file: group `interval`, `for`, `keep_firing_for` and PromQL windows. */
export function compileRuleFile(file: string, doc: YamlMap, scale: number, evaluationIntervalMs: number): CompiledRuleFile {
  const where = relativeName(file);
  const groups: CompiledRuleGroup[] = [];
  const alerts: CompiledRule[] = [];
  const scaledGroups = asList(doc.groups, `${where}: groups`).map((rawGroup, groupIndex) => {
    const group = { ...asMap(rawGroup, `${where}: groups[${groupIndex}]`) };
    const groupName = typeof group.name === 'string' ? group.name : `#${groupIndex}`;
    const at = `${where}: group ${groupName}`;
    const intervalMs = group.interval === undefined ? evaluationIntervalMs * scale : parseDurationMs(String(group.interval), `${at}: interval`);
    if (group.interval !== undefined) group.interval = formatDurationMs(intervalMs / scale);
    const windows: { rule: string; expr: string; window: PromqlWindow }[] = [];
    const clockReads: { rule: string; read: string }[] = [];
    const reads: { rule: string; read: SeriesRead }[] = [];
    group.rules = asList(group.rules, `${at}: rules`).map((rawRule, ruleIndex) => {
      const rule = { ...asMap(rawRule, `${at}: rules[${ruleIndex}]`) };
      const name = String(rule.alert ?? rule.record ?? `#${ruleIndex}`);
      const ruleAt = `${at}: ${rule.alert ? 'alert' : 'record'} ${name}`;
      if (typeof rule.expr !== 'string' && typeof rule.expr !== 'number') throw badInput(`${ruleAt}: expr is missing`);
      const written = String(rule.expr);
      const scaled = scalePromql(written, scale, `${ruleAt}: expr`);
      rule.expr = scaled.expr;
      for (const window of scaled.windows) windows.push({ rule: name, expr: written, window });
      for (const read of scaled.clockReads) clockReads.push({ rule: name, read });
      for (const read of scaled.reads) reads.push({ rule: name, read });
      const forMs = rule.for === undefined ? 0 : parseDurationMs(String(rule.for), `${ruleAt}: for`);
      const keepMs = rule.keep_firing_for === undefined ? 0 : parseDurationMs(String(rule.keep_firing_for), `${ruleAt}: keep_firing_for`);
      if (rule.for !== undefined) rule.for = formatDurationMs(forMs / scale);
      if (rule.keep_firing_for !== undefined) rule.keep_firing_for = formatDurationMs(keepMs / scale);
      if (typeof rule.alert === 'string') {
        alerts.push({
          alertname: rule.alert,
          group: groupName,
          file,
          expr: String(asMap(rawRule, ruleAt).expr),
          scaledExpr: scaled.expr,
          forMs,
          scaledForMs: Math.round(forMs / scale),
          keepFiringForMs: keepMs,
          scaledKeepFiringForMs: Math.round(keepMs / scale),
          scaledEvaluationIntervalMs: intervalMs / scale,
          labels: stringMap(rule.labels, `${ruleAt}: labels`),
          windows: scaled.windows,
          reads: scaled.reads,
          ...reach(scaled, ruleAt),
          clockReads: scaled.clockReads,
        });
      }
      return rule;
    });
    groups.push({ name: groupName, file, scaledIntervalMs: intervalMs / scale, windows, clockReads, reads });
    return group;
  });
  return { source: file, doc: { ...doc, groups: scaledGroups }, groups, alerts };
}

/** longestRangeMs, sharedOffsetMs and lookbackMs of an expression (see CompiledRule). */
function reach(scaled: ScaledPromql, ruleAt: string): Pick<CompiledRule, 'longestRangeMs' | 'sharedOffsetMs' | 'lookbackMs'> {
  // Each range alone too: a subquery over no selector at all (`max_over_time(vector(1)[5m:1m])`) has no read.
  const windowRangesMs = scaled.windows.filter((w) => w.kind === 'range' || w.kind === 'subquery-range').map((w) => parseDurationMs(w.text, `${ruleAt}: expr`, 'seconds'));
  const longestRangeMs = Math.max(0, ...windowRangesMs, ...scaled.reads.map((r) => r.rangeMs));
  const sharedOffsetMs = scaled.reads.length === 0 ? 0 : Math.max(0, Math.min(...scaled.reads.map((r) => r.offsetMs)));
  return { longestRangeMs, sharedOffsetMs, lookbackMs: Math.max(longestRangeMs, ...scaled.reads.map((r) => r.rangeMs + r.offsetMs)) };
}

function stringMap(value: unknown, where: string): Record<string, string> {
  return Object.fromEntries(Object.entries(asMap(value, where)).map(([key, v]) => [key, String(v)]));
}

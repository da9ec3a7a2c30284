import { fixedLabels, ruleOfSeries } from '../compile/rule-of-series.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import type { YamlMap } from '../compile/yaml-file.ts';
import { labelSetKey, labelsMatch } from '../labels-match.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { ExpectationResult, RunResult, ScenarioResult } from '../report/run-result.ts';
import { traceName } from '../report/trace-name.ts';
import { equalLabels, toInhibitRule, type InhibitRule } from './inhibit-link.ts';

export interface AlertCoverage {
  readonly percent: number;
  /**
   * Per rule: the scenarios where one of its series fired and a passing `fires` expectation
   * asserted it. Rules that share an alertname (a warning and a critical tier) are counted apart,
   * told by their fixed labels; `name` says which (`HighErrorRate{severity="critical", team="api"}`),
   * and is the bare alertname when no other rule has it.
   */
  readonly rules: { alertname: string; name: string; labels: Record<string, string>; coveredBy: string[] }[];
}

export interface InhibitionCoverage {
  readonly percent: number;
  readonly rules: {
    index: number;
    description: string;
    /** Scenarios where a passing inhibitedBy expectation saw a target suppressed by a source. */
    suppressedIn: string[];
    /** Negative controls: scenarios where a target fired and was notified, unsuppressed, because the source was absent or an `equal` label differed. */
    controlIn: string[];
    /** Each control with the source it saw (or `absent`) and why it did not apply. */
    controls: { scenario: string; target: string; source: string; why: string }[];
  }[];
}

const percent = (covered: number, total: number) => (total === 0 ? 100 : Math.round((covered / total) * 1000) / 10);

export function alertCoverage(rules: readonly CompiledRule[], run: RunResult): AlertCoverage {
  const rows = distinctRules(rules).map(({ alertname, labels, name }) => ({
    alertname,
    name,
    labels,
    coveredBy: run.scenarios.filter((s) => s.expectations.some((e) => e.kind === 'fires' && e.alert === alertname && e.ok && judgedRuleIs(e, s, rules, labels))).map((s) => s.name),
  }));
  return { percent: percent(rows.filter((r) => r.coveredBy.length > 0).length, rows.length), rules: rows };
}

/**
 * Whether a passing `toFire` judged a series of the rule with these fixed labels. A result that
 * does not say which series it judged (written before firedrill told tiers apart) credits the
 * rule of every series it could have judged.
 */
function judgedRuleIs(e: ExpectationResult, scenario: ScenarioResult, rules: readonly CompiledRule[], labels: Record<string, string>): boolean {
  const series = e.judgedLabels ? [e.judgedLabels] : scenario.alerts.filter((a) => a.alertname === e.alert && a.firingAt !== null && labelsMatch(e.labels ?? {}, a.labels)).map((a) => a.labels);
  return series.some((seriesLabels) => {
    const rule = ruleOfSeries(rules, e.alert!, seriesLabels);
    return rule !== undefined && labelSetKey(fixedLabels(rule)) === labelSetKey(labels);
  });
}

/**
 * One entry per rule a series can be told apart by: its alertname and fixed labels. Rules alike in
 * both (the same alert in two files) are one entry: no fired series could say which of them fired.
 */
function distinctRules(rules: readonly CompiledRule[]): { alertname: string; labels: Record<string, string>; name: string }[] {
  const seen = new Map<string, { alertname: string; labels: Record<string, string> }>();
  for (const rule of rules) {
    const labels = fixedLabels(rule);
    seen.set(JSON.stringify([rule.alertname, labels]), { alertname: rule.alertname, labels });
  }
  const entries = [...seen.values()];
  return entries.map((entry) => {
    const twins = entries.filter((e) => e !== entry && e.alertname === entry.alertname);
    if (twins.length === 0) return { ...entry, name: entry.alertname };
    const all = Object.entries(entry.labels);
    if (all.length === 0) return { ...entry, name: `${entry.alertname} (no fixed labels)` };
    return { ...entry, name: `${entry.alertname}{${all.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}}` };
  });
}

export function inhibitionCoverage(alertmanagerDoc: YamlMap, run: RunResult): InhibitionCoverage {
  const raw = (alertmanagerDoc.inhibit_rules as YamlMap[] | undefined) ?? [];
  const rows = raw.map((doc, index) => {
    const rule = toInhibitRule(doc);
    const suppressedIn = run.scenarios
      .filter((s) =>
        s.alerts.some(
          (t) =>
            rule.target(t.labels) &&
            t.inhibitedBy.some((name) => s.alerts.some((a) => a.alertname === name && rule.source(a.labels))) &&
            s.expectations.some((e) => e.kind === 'inhibitedBy' && e.alert === t.alertname && e.ok),
        ),
      )
      .map((s) => s.name);
    const controls = run.scenarios.flatMap((s) => negativeControls(rule, s.alerts).map((c) => ({ scenario: s.name, ...c })));
    return { index, description: describeInhibitRule(doc), suppressedIn, controlIn: [...new Set(controls.map((c) => c.scenario))], controls };
  });
  return { percent: percent(rows.filter((r) => r.suppressedIn.length > 0 && r.controlIn.length > 0).length, rows.length), rules: rows };
}

function isUnsuppressedPage(t: AlertTrace): boolean {
  return t.firingAt !== null && t.inhibitedBy.length === 0 && t.notifications.some((n) => n.status === 'firing');
}

/** When a trace was firing, as [from, to] epoch ms spans. */
function firingSpans(t: AlertTrace): [number, number][] {
  const episodes = t.episodes.length > 0 ? t.episodes : [{ firingAt: t.firingAt, resolvedAt: t.resolvedAt }];
  return episodes.flatMap((e) => (e.firingAt === null ? [] : [[Date.parse(e.firingAt), e.resolvedAt === null ? Infinity : Date.parse(e.resolvedAt)] as [number, number]]));
}

const overlap = (a: AlertTrace, b: AlertTrace) => firingSpans(a).some(([a0, a1]) => firingSpans(b).some(([b0, b1]) => Math.max(a0, b0) < Math.min(a1, b1)));

/**
 * Targets that fired and paged unsuppressed because the rule did not apply: no source fired
 * meanwhile, or every source that did differed in an `equal` label. A target that paged while a
 * source with the same `equal` labels fired is a broken inhibition, never a control.
 */
function negativeControls(rule: InhibitRule, alerts: readonly AlertTrace[]): { target: string; source: string; why: string }[] {
  return alerts.flatMap((target) => {
    if (!rule.target(target.labels) || !isUnsuppressedPage(target)) return [];
    const sources = alerts.filter((a) => a !== target && rule.source(a.labels) && overlap(a, target));
    if (sources.length === 0) return [{ target: traceName(target, alerts), source: 'absent', why: 'no source fired meanwhile' }];
    const differing = sources.map((src) => ({ src, label: rule.equal.find((l) => (src.labels[l] ?? '') !== (target.labels[l] ?? '')) }));
    if (differing.some((d) => d.label === undefined)) return [];
    return differing.map((d) => ({ target: traceName(target, alerts), source: traceName(d.src, alerts), why: `${d.label} differs (${d.src.labels[d.label!] ?? ''} vs ${target.labels[d.label!] ?? ''})` }));
  });
}

function describeInhibitRule(doc: YamlMap): string {
  const side = (s: 'source' | 'target') =>
    [
      ...Object.entries((doc[`${s}_match`] as Record<string, string> | undefined) ?? {}).map(([k, v]) => `${k}="${v}"`),
      ...Object.entries((doc[`${s}_match_re`] as Record<string, string> | undefined) ?? {}).map(([k, v]) => `${k}=~"${v}"`),
      ...((doc[`${s}_matchers`] as string[] | undefined) ?? []),
    ].join(',');
  return `{${side('source')}} mutes {${side('target')}} equal [${equalLabels(doc).join(', ')}]`;
}

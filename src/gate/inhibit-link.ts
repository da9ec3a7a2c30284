import type { CompiledRule } from '../compile/rule-files.ts';
import type { YamlMap } from '../compile/yaml-file.ts';
import { inhibitSideMatchers, matches, type Matcher } from './alertmanager-matcher.ts';

// Whether an inhibit rule could mute one alert by another, from what the rules fix before any
// drill: the alert's name and its rule's static labels. A matcher on any other label (one the
// expression gives, `service` say) may match, so only a pair no inhibit rule can link is "no".

/** The labels a rule's alerts carry whatever its expression yields: not a templated one (`{{ if gt $value 0.5 }}critical{{ end }}`). */
function fixedLabels(rule: CompiledRule): Readonly<Record<string, string>> {
  const fixed = Object.entries(rule.labels).filter(([, value]) => !value.includes('{{'));
  return { ...Object.fromEntries(fixed), alertname: rule.alertname };
}

/** False only when a matcher on a fixed label refuses it: the side cannot match the rule's alerts. */
function mayMatch(matchers: readonly Matcher[], rule: CompiledRule): boolean {
  const fixed = fixedLabels(rule);
  return matchers.every((m) => !(m.name in fixed) || matches(m, fixed));
}

/** An inhibit rule's `equal` labels; none when it has no `equal`. */
export function equalLabels(doc: YamlMap): string[] {
  return Array.isArray(doc.equal) ? doc.equal.map(String) : [];
}

/** False only when an `equal` label is fixed by both rules, to different values (`equal: [alertname]` between two alerts). */
function mayBeEqual(equal: readonly string[], source: CompiledRule, target: CompiledRule): boolean {
  const [a, b] = [fixedLabels(source), fixedLabels(target)];
  return equal.every((label) => !(label in a) || !(label in b) || a[label] === b[label]);
}

/** Whether some inhibit rule of the Alertmanager config may mute `target`'s alerts while `source`'s fire. */
export function mayInhibit(alertmanagerDoc: YamlMap, source: CompiledRule, target: CompiledRule): boolean {
  const rules = (alertmanagerDoc.inhibit_rules as YamlMap[] | undefined) ?? [];
  return rules.some(
    (doc) =>
      mayMatch(inhibitSideMatchers(doc, 'source'), source) &&
      mayMatch(inhibitSideMatchers(doc, 'target'), target) &&
      mayBeEqual(equalLabels(doc), source, target),
  );
}

type LabelMatch = (labels: Readonly<Record<string, string>>) => boolean;

/** An inhibit rule as Alertmanager applies it to the labels of alerts. */
export interface InhibitRule {
  readonly source: LabelMatch;
  readonly target: LabelMatch;
  readonly equal: readonly string[];
}

export function toInhibitRule(doc: YamlMap): InhibitRule {
  const side = (which: 'source' | 'target'): LabelMatch => {
    const matchers = inhibitSideMatchers(doc, which);
    return (labels) => matchers.every((m) => matches(m, labels));
  };
  return { source: side('source'), target: side('target'), equal: equalLabels(doc) };
}

/**
 * Whether an inhibit rule of the config mutes an alert with the `target` labels while one with the
 * `source` labels fires, as Alertmanager decides it: both sides match, and the `equal` labels have
 * the same value on both (a label missing on both counts as the same).
 */
export function inhibits(alertmanagerDoc: YamlMap, source: Readonly<Record<string, string>>, target: Readonly<Record<string, string>>): boolean {
  const rules = ((alertmanagerDoc.inhibit_rules as YamlMap[] | undefined) ?? []).map(toInhibitRule);
  return rules.some((rule) => rule.source(source) && rule.target(target) && rule.equal.every((label) => (source[label] ?? '') === (target[label] ?? '')));
}

import { labelsAgree, labelsMatch } from '../labels-match.ts';
import type { CompiledRule } from './rule-files.ts';

// Rules may share an alertname: a warning and a critical tier of one alert, each with its own
// threshold, `for` and labels. A series of ALERTS carries the alertname and the labels its rule
// sets, so the rule's fixed labels tell which tier a series is of; timings, windows and coverage
// must follow that rule, not the first one of the name.

/** The labels a rule sets to a fixed value (a templated one, `{{ $labels.x }}`, can be anything; an empty one is no label at all). */
export function fixedLabels(rule: Pick<CompiledRule, 'labels'>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(rule.labels)
      .filter(([, value]) => value !== '' && !value.includes('{{'))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * The rule a series of `alertname` with `labels` comes from: among the rules of that name whose
 * fixed labels the series has, the one whose fixed labels hold every other's (a series of the
 * critical tier also has the labels of a twin that sets none). Undefined when no rule of the name
 * fits, or when two fit that neither holds (no series could say which of them fired it); rules
 * with the same fixed labels count as one, the first of them answering.
 */
export function ruleOfSeries(rules: readonly CompiledRule[], alertname: string, labels: Readonly<Record<string, string>>): CompiledRule | undefined {
  const fitting = rules.filter((rule) => rule.alertname === alertname && labelsMatch(fixedLabels(rule), labels));
  const widest = fitting.filter((rule) => fitting.every((other) => labelsMatch(fixedLabels(other), fixedLabels(rule))));
  return widest[0];
}

/**
 * The rules of `alertname` an expectation's label selector can mean: those whose fixed labels
 * agree with every label of the selector they set, the ones that set most of its labels first
 * (`{severity: 'critical'}` means the tier that sets it, not a twin that sets none).
 */
export function rulesOfSelector(rules: readonly CompiledRule[], alertname: string, selector: Readonly<Record<string, string>>): CompiledRule[] {
  const sets = (rule: CompiledRule) => Object.keys(selector).filter((key) => fixedLabels(rule)[key] !== undefined).length;
  return rules
    .filter((rule) => rule.alertname === alertname && labelsAgree(selector, fixedLabels(rule)))
    .sort((a, b) => sets(b) - sets(a));
}

/** The rule a series is of, or, when no rule can be told, the one its labels select, or the first rule of its name: what a verdict about the alert as a whole reads. */
export function ruleOrFirst(rules: readonly CompiledRule[], alertname: string, labels: Readonly<Record<string, string>> = {}): CompiledRule | undefined {
  return ruleOfSeries(rules, alertname, labels) ?? rulesOfSelector(rules, alertname, labels)[0] ?? rules.find((rule) => rule.alertname === alertname);
}

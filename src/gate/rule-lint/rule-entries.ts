import type { LintFinding, LintInput, LintRuleId } from './lint-finding.ts';
import { parsePromql, type ParsedPromql } from './promql-tree.ts';

/** One alerting or recording rule of a rule file, its expression parsed. */
export interface RuleEntry {
  readonly file: string;
  readonly group: string;
  readonly kind: 'alert' | 'record';
  readonly name: string;
  /** `group api, alert HighLatency`: how findings name the rule. */
  readonly where: string;
  readonly promql: ParsedPromql;
  readonly labels: Readonly<Record<string, unknown>>;
}

/**
 * Every rule with an expression that parses. Malformed groups, rules and expressions are left to
 * promtool, which the gate runs first and which names them precisely.
 */
export function ruleEntries(ruleFiles: LintInput['ruleFiles']): RuleEntry[] {
  const entries: RuleEntry[] = [];
  for (const { file, doc } of ruleFiles) {
    for (const group of listOf(doc.groups)) {
      const groupName = String(group.name ?? '');
      for (const rule of listOf(group.rules)) {
        const kind = rule.alert !== undefined ? 'alert' : rule.record !== undefined ? 'record' : undefined;
        const promql = typeof rule.expr === 'string' || typeof rule.expr === 'number' ? parsePromql(String(rule.expr)) : undefined;
        if (!kind || !promql) continue;
        const name = String(rule[kind]);
        const labels = isMap(rule.labels) ? rule.labels : {};
        entries.push({ file, group: groupName, kind, name, where: `group ${groupName}, ${kind} ${name}`, promql, labels });
      }
    }
  }
  return entries;
}

/** A finding about one rule. */
export function ruleFinding(rule: LintRuleId, entry: RuleEntry, message: string): LintFinding {
  return { check: 'rule lint', rule, file: entry.file, where: entry.where, message };
}

/** How a message names what the mistake hurts: `the alert`, or `an alert on it` for a recording rule. */
export function theAlert(entry: RuleEntry): string {
  return entry.kind === 'alert' ? 'the alert' : 'an alert on it';
}

function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isMap) : [];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

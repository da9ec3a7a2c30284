import type { CompiledSystem } from '../compile/compile-system.ts';
import { readYamlMap, relativeName, type YamlMap } from '../compile/yaml-file.ts';
import { contractFamilyOf, SYNTHETIC_METRICS, type MetricContract } from './metric-contract.ts';
import { metricsReadThrough, recordingRules } from '../compile/recording-rules.ts';
import { parseMatcher } from './alertmanager-matcher.ts';
import { upstreamChecks, type StaticFinding } from './upstream-checks.ts';
import { lintRules } from './rule-lint/lint-rules.ts';
import { readLintInput } from './rule-lint/read-lint-input.ts';

export type { StaticFinding } from './upstream-checks.ts';

/**
 * The gate's static stage: the upstream checkers on the user's own files, then the cross-checks
 * they cannot do: rule metrics against the contract, routing and inhibition alertnames against the rules.
 */
export async function runStaticChecks(compiled: CompiledSystem, contract: MetricContract | undefined): Promise<StaticFinding[]> {
  const system = compiled.system;
  const findings: StaticFinding[] = await upstreamChecks(compiled);
  // The mistakes Prometheus accepts but that make an alert late, deaf or noisy (on the user's own files).
  const lint = readLintInput(relativeName(system.prometheus));
  for (const f of lintRules(lint)) findings.push({ check: f.check, file: f.file, where: f.where, message: f.message });

  if (contract) {
    // Recorded series are the rules' own: what the contract must hold is what they are recorded from.
    const records = recordingRules(compiled.ruleFiles.map((f) => f.doc));
    for (const rule of compiled.alerts) {
      for (const metric of new Set(metricsReadThrough(rule.expr, records))) {
        if (SYNTHETIC_METRICS.has(metric) || contractFamilyOf(contract, metric)) continue;
        findings.push({ check: 'metric contract', file: relativeName(rule.file), where: `rule ${rule.alertname}`, message: `metric '${metric}' is not in the contract ${relativeName(contract.file)}` });
      }
    }
  }
  const alertnames = new Set(compiled.alerts.map((a) => a.alertname));
  for (const ref of alertnameReferences(readYamlMap(system.alertmanager))) {
    const matches = ref.regex ? [...alertnames].some((name) => new RegExp(`^(?:${ref.value})$`).test(name)) : alertnames.has(ref.value);
    if (!matches) {
      findings.push({
        check: 'alertname references',
        file: relativeName(system.alertmanager),
        where: ref.where,
        message: ref.regex ? `alertname regex '${ref.value}' matches no alert in the rules` : `alertname '${ref.value}' is not an alert in the rules`,
      });
    }
  }
  return findings;
}

interface AlertnameReference {
  readonly where: string;
  readonly value: string;
  readonly regex: boolean;
}

/** Every alertname a route or inhibit rule matches on, in all of Alertmanager's matcher syntaxes. */
export function alertnameReferences(doc: YamlMap): AlertnameReference[] {
  const refs: AlertnameReference[] = [];
  const fromMatchers = (where: string, node: YamlMap, plain: string, regex: string, list: string) => {
    const exact = (node[plain] as Record<string, string> | undefined)?.alertname;
    if (exact !== undefined) refs.push({ where: `${where}.${plain}.alertname`, value: exact, regex: false });
    const re = (node[regex] as Record<string, string> | undefined)?.alertname;
    if (re !== undefined) refs.push({ where: `${where}.${regex}.alertname`, value: re, regex: true });
    ((node[list] as string[] | undefined) ?? []).forEach((text, i) => {
      const m = parseMatcher(text);
      if (m?.name === 'alertname' && (m.op === '=' || m.op === '=~')) refs.push({ where: `${where}.${list}[${i}]`, value: m.value, regex: m.op === '=~' });
    });
  };
  const walk = (route: YamlMap, where: string) => {
    fromMatchers(where, route, 'match', 'match_re', 'matchers');
    ((route.routes as YamlMap[] | undefined) ?? []).forEach((child, i) => walk(child, `${where}.routes[${i}]`));
  };
  walk((doc.route as YamlMap | undefined) ?? {}, 'route');
  ((doc.inhibit_rules as YamlMap[] | undefined) ?? []).forEach((rule, i) => {
    fromMatchers(`inhibit_rules[${i}]`, rule, 'source_match', 'source_match_re', 'source_matchers');
    fromMatchers(`inhibit_rules[${i}]`, rule, 'target_match', 'target_match_re', 'target_matchers');
  });
  return refs;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { LintFinding, LintInput } from './lint-finding.ts';
import { filesMatching, ruleFilePatterns, yamlFilesNear } from './rule-file-patterns.ts';

/**
 * Rules Prometheus never loads: groups written into prometheus.yml itself (Prometheus reads rules only
 * from rule files, and its strict config parsing refuses the key), and `rule_files` patterns that
 * match no file (Prometheus loads nothing from them without a word, so every alert there is silent).
 */
export function rulesPrometheusIgnores(input: LintInput): LintFinding[] {
  const projectDir = input.projectDir ?? process.cwd();
  const findings: LintFinding[] = [];
  const at = (where: string, message: string) => findings.push({ check: 'rule lint', rule: 'rules-prometheus-ignores', file: input.prometheusFile, where, message });
  const groups = input.prometheusDoc.groups;
  if (groups !== undefined) {
    const count = Array.isArray(groups) ? groups.length : 0;
    at('groups', `${count} rule group${count === 1 ? '' : 's'} written in prometheus.yml: Prometheus loads rules only from rule files and refuses this key (field groups not found), so none of these alerts runs; move the groups to a file such as rules/alerts.yml and list it under rule_files`);
  }
  const patterns = Array.isArray(input.prometheusDoc.rule_files) ? (input.prometheusDoc.rule_files as unknown[]) : [];
  patterns.forEach((pattern, i) => {
    if (typeof pattern !== 'string' || filesMatching(input.prometheusFile, pattern, projectDir).length > 0) return;
    at(`rule_files[${i}]`, `rule_files pattern '${pattern}' matches no file: Prometheus loads no rules from it and says nothing, so its alerts never run; ${candidateHint(input, projectDir)}`);
  });
  return findings;
}

/** Names the rule files (YAML with a `groups` list) that are there and loaded by no pattern, so the fix is a glance away. */
function candidateHint(input: LintInput, projectDir: string): string {
  const dir = path.resolve(projectDir, path.dirname(input.prometheusFile));
  const loaded = new Set(ruleFilePatterns(input.prometheusDoc).flatMap((p) => filesMatching(input.prometheusFile, p, projectDir)).map((file) => path.resolve(projectDir, file)));
  const candidates = yamlFilesNear(input.prometheusFile, projectDir).filter((file) => !loaded.has(path.join(dir, file)) && holdsRuleGroups(path.join(dir, file)));
  if (candidates.length === 0) return 'fix the path (relative to prometheus.yml) or remove the entry';
  const more = candidates.length > 5 ? ` and ${candidates.length - 5} more` : '';
  return `fix the path (relative to prometheus.yml); rule files next to it that no pattern loads: ${candidates.slice(0, 5).join(', ')}${more}`;
}

function holdsRuleGroups(file: string): boolean {
  try {
    const doc: unknown = parse(readFileSync(file, 'utf8'));
    return typeof doc === 'object' && doc !== null && Array.isArray((doc as Record<string, unknown>).groups);
  } catch {
    return false;
  }
}

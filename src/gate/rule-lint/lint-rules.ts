import { counterNames } from './counter-names.ts';
import { counterWithoutRate } from './counter-without-rate.ts';
import { errorRateAboveZero } from './error-rate-above-zero.ts';
import { jobMatchesNoScrapeJob } from './job-matches-no-scrape-job.ts';
import type { LintFinding, LintInput } from './lint-finding.ts';
import { quantileWithoutRate } from './quantile-without-rate.ts';
import { quantileWithoutSumByLe } from './quantile-without-sum-by-le.ts';
import { ruleEntries } from './rule-entries.ts';
import { rulesPrometheusIgnores } from './rules-prometheus-ignores.ts';

export type { LintFinding, LintInput, LintRuleId } from './lint-finding.ts';

/**
 * Mistakes that real monitoring guides ship in their rules and that drills only show as symptoms
 * (an alert late by minutes, one that never resolves, one that never fires), each named with its fix.
 * Reads the files only to resolve `rule_files` globs; rules with a syntax error are left to promtool.
 * @example lintRules(readLintInput('monitoring/prometheus.yml'))
 */
export function lintRules(input: LintInput): LintFinding[] {
  const rules = ruleEntries(input.ruleFiles);
  return [
    ...rulesPrometheusIgnores(input),
    ...quantileWithoutRate(rules),
    ...quantileWithoutSumByLe(rules),
    ...counterWithoutRate(rules, counterNames(rules)),
    ...errorRateAboveZero(rules),
    ...jobMatchesNoScrapeJob(input, rules),
  ];
}

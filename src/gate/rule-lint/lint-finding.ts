/** Which rule-lint check found a mistake; each is one module of this folder, named after it. */
export type LintRuleId =
  | 'quantile-without-rate'
  | 'counter-without-rate'
  | 'error-rate-above-zero'
  | 'quantile-without-sum-by-le'
  | 'job-matches-no-scrape-job'
  | 'rules-prometheus-ignores';

/**
 * One mistake in the user's Prometheus rules, on one line: what is wrong, what it does to the
 * alert, and the fix. `where` is `group <g>, alert <a>`, `group <g>, record <r>` or a YAML key.
 */
export interface LintFinding {
  readonly check: 'rule lint';
  readonly rule: LintRuleId;
  readonly file: string;
  readonly where: string;
  readonly message: string;
}

/** The parsed files Prometheus would load: prometheus.yml and the rule files its rule_files select. */
export interface LintInput {
  /** The directory relative paths here are relative to, and findings' paths too; the working directory when absent. */
  readonly projectDir?: string;
  readonly prometheusFile: string;
  readonly prometheusDoc: Record<string, unknown>;
  readonly ruleFiles: readonly { readonly file: string; readonly doc: Record<string, unknown> }[];
}

import type { LintFinding, LintInput } from './lint-finding.ts';
import { selectorsIn } from './promql-tree.ts';
import { ruleFinding, type RuleEntry } from './rule-entries.ts';

/**
 * Selectors whose `job="..."` or `job=~"..."` matches no `job_name` of prometheus.yml: every series
 * Prometheus scrapes carries its scrape job's name, so such a selector never returns data and the
 * alert can never fire (or, inside absent(), always fires).
 * Skipped when the job label can come from elsewhere: `honor_labels: true` (pushed or federated
 * series keep their own job), relabelling that writes `job`, or scrape configs in other files.
 */
export function jobMatchesNoScrapeJob(input: LintInput, rules: readonly RuleEntry[]): LintFinding[] {
  const jobs = knownJobs(input, rules);
  if (!jobs) return [];
  const findings: LintFinding[] = [];
  const listed = [...jobs].sort().join(', ');
  for (const entry of rules) {
    const reported = new Set<string>();
    for (const selector of selectorsIn(entry.promql, entry.promql.root)) {
      for (const matcher of selector.matchers) {
        if (matcher.label !== 'job' || (matcher.op !== '=' && matcher.op !== '=~') || reported.has(matcher.source)) continue;
        const matches = matcherFor(matcher.op, matcher.value);
        // A matcher that accepts the empty value also selects series with no job label (records that dropped it).
        if (!matches || matches('') || [...jobs].some(matches)) continue;
        reported.add(matcher.source);
        findings.push(ruleFinding('job-matches-no-scrape-job', entry, `${matcher.source} matches no scrape job in ${input.prometheusFile} (jobs: ${listed}): the selector never returns data, so the ${entry.kind} never sees any; use one of those job names`));
      }
    }
  }
  return findings;
}

/** The job names series can carry, or undefined when they cannot all be known from these files. */
function knownJobs(input: LintInput, rules: readonly RuleEntry[]): Set<string> | undefined {
  if (input.prometheusDoc.scrape_config_files !== undefined) return undefined;
  const configs = Array.isArray(input.prometheusDoc.scrape_configs) ? (input.prometheusDoc.scrape_configs as unknown[]) : [];
  const jobs = new Set<string>();
  for (const config of configs) {
    if (typeof config !== 'object' || config === null) continue;
    const scrape = config as Record<string, unknown>;
    if (scrape.honor_labels === true || writesJob(scrape.relabel_configs) || writesJob(scrape.metric_relabel_configs)) return undefined;
    if (typeof scrape.job_name === 'string') jobs.add(scrape.job_name);
  }
  // A recording rule's static `job` label makes series with that job too.
  for (const entry of rules) if (entry.kind === 'record' && typeof entry.labels.job === 'string') jobs.add(entry.labels.job);
  return jobs.size > 0 ? jobs : undefined;
}

function writesJob(relabels: unknown): boolean {
  if (!Array.isArray(relabels)) return false;
  return relabels.some((r) => {
    if (typeof r !== 'object' || r === null) return false;
    const relabel = r as Record<string, unknown>;
    // labelmap can write any label, job included.
    return relabel.target_label === 'job' || relabel.action === 'labelmap';
  });
}

/** Prometheus anchors label regexes; a regex JavaScript cannot read (RE2-only syntax) is not judged. */
function matcherFor(op: '=' | '=~', value: string): ((job: string) => boolean) | undefined {
  if (op === '=') return (job) => job === value;
  try {
    const regex = new RegExp(`^(?:${value})$`);
    return (job) => regex.test(job);
  } catch {
    return undefined;
  }
}

import type { PrometheusClient } from '../observe/prometheus-client.ts';
import type { MetricContract } from './metric-contract.ts';
import { relativeName } from '../compile/yaml-file.ts';
import { escapeRegexValue } from '../observe/promql-parts.ts';

export interface ContractFinding {
  readonly family: string;
  readonly problem: 'missing' | 'type' | 'labels' | 'no series';
  readonly message: string;
}

export interface ContractReport {
  readonly file: string;
  readonly checked: number;
  readonly findings: ContractFinding[];
  /** Families the services expose that the contract does not list. */
  readonly unlisted: string[];
}

/** Labels every scraped series carries or that belong to the type, not to the family's contract. */
const IMPLIED_LABELS = new Set(['__name__', 'job', 'instance', 'le', 'quantile']);

/**
 * The "expected metrics appear" check: every contract family is in Prometheus' metadata with its
 * type, and its series carry exactly the contract's label names.
 */
export async function checkContract(prometheus: PrometheusClient, contract: MetricContract, jobs: readonly string[], lookbackSeconds: number): Promise<ContractReport> {
  const metadata = await prometheus.metadata();
  const findings: ContractFinding[] = [];
  const jobMatcher = `job=~"${jobs.map(escapeRegexValue).join('|')}"`;
  for (const [family, expected] of contract.families) {
    const seen = metadata[family]?.map((m) => m.type) ?? [];
    if (seen.length === 0) {
      findings.push({ family, problem: 'missing', message: `${family}: not exposed by any target (expected ${expected.type} with labels [${expected.labels.join(', ')}])` });
      continue;
    }
    if (!seen.includes(expected.type)) {
      findings.push({ family, problem: 'type', message: `${family}: exposed as ${[...new Set(seen)].join('/')}, the contract says ${expected.type}` });
    }
    const seriesName = expected.type === 'histogram' ? `${family}_bucket` : family;
    const series = await prometheus.series(`${seriesName}{${jobMatcher}}`, lookbackSeconds);
    if (series.length === 0) {
      findings.push({ family, problem: 'no series', message: `${family}: declared but no series scraped, so its labels cannot be checked (initialize its label values to 0)` });
      continue;
    }
    const labels = new Set(series.flatMap((s) => Object.keys(s)).filter((l) => !IMPLIED_LABELS.has(l)));
    const missing = expected.labels.filter((l) => !labels.has(l));
    const extra = [...labels].filter((l) => !expected.labels.includes(l)).sort();
    if (missing.length || extra.length) {
      const parts = [missing.length ? `missing [${missing.join(', ')}]` : '', extra.length ? `unexpected [${extra.join(', ')}]` : ''].filter(Boolean);
      findings.push({ family, problem: 'labels', message: `${family}: labels ${parts.join(', ')}; the contract says [${expected.labels.join(', ')}]` });
    }
  }
  const unlisted = Object.keys(metadata).filter((name) => !contract.families.has(name)).sort();
  return { file: relativeName(contract.file), checked: contract.families.size, findings, unlisted };
}

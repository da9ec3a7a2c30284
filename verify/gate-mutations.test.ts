// The gate must catch regressions. Seven mutations of a compiled copy of the Piyasa config,
// each aimed at a different alert, go into one gate run: the gate must fail, name every broken
// alert (and the dropped metric family), and leave the verdict of every other alert intact.
// One combined run instead of seven keeps the suite inside CI's budget; because the mutated
// alerts are disjoint, each failure below is attributable to exactly one mutation.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledMutations } from '../src/compile/compile-system.ts';
import type { YamlMap } from '../src/compile/yaml-file.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { runGate, type GateResult } from '../src/gate/run-gate.ts';
import { GATE_TIMEOUT_MS } from './gate-timeout.ts';
import { formatGateSummary } from '../src/report/gate-report.ts';

type Rule = { alert?: string; expr: string; for?: string };
const rulesOf = (doc: YamlMap) => ((doc.groups as { rules: Rule[] }[] | undefined) ?? []).flatMap((g) => g.rules);

/** Mutation -> the alert it must break. */
const BROKEN = {
  thresholdRaised: 'HighAPIErrorRate', // > 0.05 becomes > 0.95: cannot fire at 17% errors
  forBeyondScenario: 'SlowDatabaseQueries', // for 10m becomes 60m (3m wall): longer than the scenario
  inhibitionEqualChanged: 'LLMProviderFailure', // CircuitBreakerOpen -> .*Failure on equal [provider], a label the source lacks
  inhibitionDeleted: 'HighAPILatency', // APIDown -> HighAPILatency removed
  metricRenamedInRule: 'LowCacheHitRate', // cache_hits_total -> cache_hit_total
  severityMisrouted: 'LowMessageThroughput', // severity info routed to warnings
  metricDropped: 'TelegramRateLimitHit', // telegram_429_count dropped from the worker's scrape
} as const;

const mutations: CompiledMutations = {
  ruleFile: (doc) => {
    for (const rule of rulesOf(doc)) {
      if (rule.alert === BROKEN.thresholdRaised) rule.expr = rule.expr.replace(') > 0.05', ') > 0.95');
      if (rule.alert === BROKEN.forBeyondScenario) rule.for = '3m';
      if (rule.alert === BROKEN.metricRenamedInRule) rule.expr = rule.expr.replaceAll('cache_hits_total', 'cache_hit_total');
    }
    return doc;
  },
  alertmanager: (doc) => {
    const inhibit = doc.inhibit_rules as { source_match?: Record<string, string>; equal?: string[] }[];
    doc.inhibit_rules = inhibit.filter((r) => r.source_match?.alertname !== 'APIDown');
    for (const r of doc.inhibit_rules as typeof inhibit) if (r.source_match?.alertname === 'CircuitBreakerOpen') r.equal = ['provider'];
    for (const route of (doc.route as { routes: { match?: Record<string, string>; receiver: string }[] }).routes) {
      if (route.match?.severity === 'info') route.receiver = 'warnings';
    }
    return doc;
  },
  prometheus: (doc) => {
    for (const job of doc.scrape_configs as { job_name: string; metric_relabel_configs?: unknown[] }[]) {
      if (job.job_name === 'piyasa-chatbot-worker') job.metric_relabel_configs = [{ source_labels: ['__name__'], regex: 'telegram_429_count', action: 'drop' }];
    }
    return doc;
  },
};

let gate: GateResult;
beforeAll(async () => {
  const config = await loadConfig('firedrill.config.ts');
  gate = await runGate({ config, scale: 'auto', engine: 'builtin', minAlertCoverage: 100, minInhibitionCoverage: 100, mutations });
}, GATE_TIMEOUT_MS);

const failed = () => gate.run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => ({ scenario: s.name, alert: e.alert, description: e.description })));

describe('the gate on a mutated copy of the fixture config', () => {
  it('fails', () => {
    expect(gate.ok).toBe(false);
  });

  it.each(Object.entries(BROKEN))('%s: names %s among the failed expectations', (_mutation, alert) => {
    expect(failed().filter((f) => f.alert === alert), formatGateSummary(gate)).not.toEqual([]);
  });

  it('leaves every other alert verdict intact: nothing else fails', () => {
    const broken = new Set<string>(Object.values(BROKEN));
    expect(failed().filter((f) => !broken.has(f.alert ?? ''))).toEqual([]);
  });

  it('the metric contract names the dropped family', () => {
    const contract = gate.systems[0]!.contract!;
    // Metric relabelling drops the series; whether Prometheus still lists the TYPE line decides which of the two it is.
    expect(contract.findings.map((f) => [f.family, f.problem])).toEqual([['telegram_429_count', expect.stringMatching(/^(missing|no series)$/)]]);
  });

  it('coverage drops where the mutations hit, and the summary says so', () => {
    const piyasa = gate.systems[0]!;
    const uncovered = piyasa.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.alertname).sort();
    expect(uncovered).toEqual(['HighAPIErrorRate', 'LowCacheHitRate', 'SlowDatabaseQueries', 'TelegramRateLimitHit']);
    expect(piyasa.inhibitionCoverage.rules.map((r) => r.suppressedIn.length > 0)).toEqual([false, false]);
    expect(formatGateSummary(gate)).toMatch(/gate FAIL in \d+(\.\d)?s wall/);
  });
});

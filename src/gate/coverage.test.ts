import { describe, expect, it } from 'vitest';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { RunResult, ScenarioResult } from '../report/run-result.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { alertCoverage, inhibitionCoverage } from './coverage.ts';

const trace = (alertname: string, labels: Record<string, string>, extra: Partial<AlertTrace> = {}): AlertTrace => ({
  alertname,
  labels: { alertname, ...labels },
  forSeconds: 60,
  scaledForSeconds: 3,
  evaluationIntervalSeconds: 0.75,
  pendingAt: '2026-11-24T10:00:00.000Z',
  firingAt: '2026-11-24T10:00:03.000Z',
  resolvedAt: '2026-11-24T10:00:30.000Z',
  detectionSeconds: 1,
  inhibitedBy: [],
  suppressedFrom: null,
  suppressedUntil: null,
  notifications: [],
  episodes: [],
  ...extra,
});
const scenario = (name: string, alerts: AlertTrace[], inhibitedOk: string[] = []): ScenarioResult => ({
  name,
  ok: true,
  startedAt: '2026-11-24T10:00:00.000Z',
  endedAt: '2026-11-24T10:01:00.000Z',
  traffic: { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] },
  historySeconds: 0,
  faults: [],
  alerts,
  power: [],
  expectations: inhibitedOk.map((alert) => ({ description: '', ok: true, detail: '', kind: 'inhibitedBy' as const, alert })),
});
const run = (scenarios: ScenarioResult[]): RunResult => ({ ok: true, scale: 20, stack: 'native', engine: 'builtin', scrapeIntervalSeconds: 0.5, evaluationIntervalSeconds: 0.75, stackReadySeconds: 6, scenarios });
const am = { inhibit_rules: [{ source_match: { alertname: 'CircuitBreakerOpen' }, target_match_re: { alertname: '.*Failure' }, equal: ['service'] }] };
const paged = { notifications: [{ receiver: 'high-priority', status: 'firing' as const, at: '2026-11-24T10:00:05.000Z' }] };

describe('alert coverage', () => {
  const rule = (alertname: string, labels: Record<string, string>) => ({ alertname, labels }) as unknown as CompiledRule;
  const warning = { severity: 'warning', team: 'api' };
  const critical = { severity: 'critical', team: 'api' };
  const tiers = [rule('HighErrorRate', warning), rule('HighErrorRate', critical), rule('APIDown', { severity: 'critical', instance: '{{ $labels.instance }}' })];
  const fires = (alert: string, judged: Record<string, string> | undefined, extra: { ok?: boolean; labels?: Record<string, string> } = {}) => ({
    description: '',
    ok: extra.ok ?? true,
    detail: '',
    kind: 'fires' as const,
    alert,
    ...(extra.labels ? { labels: extra.labels } : {}),
    ...(judged ? { judgedLabels: { alertname: alert, ...judged } } : {}),
  });
  const drill = (name: string, alerts: AlertTrace[], expectations: ReturnType<typeof fires>[]): ScenarioResult => ({ ...scenario(name, alerts), expectations });
  const WARN = 'HighErrorRate{severity="warning", team="api"}';
  const CRIT = 'HighErrorRate{severity="critical", team="api"}';

  it('counts the tiers of one alertname apart: a toFire that judged the warning covers only the warning, though the critical fired too', () => {
    const both = [trace('HighErrorRate', warning), trace('HighErrorRate', critical), trace('APIDown', { severity: 'critical', instance: 'api:8080' })];
    const coverage = alertCoverage(tiers, run([drill('errors', both, [fires('HighErrorRate', warning), fires('APIDown', { severity: 'critical', instance: 'api:8080' })])]));
    expect(coverage.rules.map((r) => [r.name, r.coveredBy])).toEqual([
      [WARN, ['errors']],
      [CRIT, []],
      ['APIDown', ['errors']],
    ]);
    expect(coverage.percent).toBe(66.7);
  });

  it('covers a tier only by a passing toFire that judged one of its series', () => {
    const scenarios = [
      drill('failed', [trace('HighErrorRate', critical)], [fires('HighErrorRate', critical, { ok: false })]),
      drill('judged-nothing', [trace('HighErrorRate', critical)], [fires('HighErrorRate', undefined, { ok: false })]),
      drill('selected', [trace('HighErrorRate', critical)], [fires('HighErrorRate', critical, { labels: { severity: 'critical' } })]),
    ];
    expect(alertCoverage(tiers, run(scenarios)).rules.find((r) => r.name === CRIT)?.coveredBy).toEqual(['selected']);
  });

  it('credits no rule for a series its fixed labels cannot place: the twin that sets fewer labels is not covered by the other\u2019s series', () => {
    const stale = [rule('Stale', {}), rule('Stale', { severity: 'page' })];
    const coverage = alertCoverage(stale, run([drill('paged', [trace('Stale', { severity: 'page' })], [fires('Stale', { severity: 'page' })])]));
    expect(coverage.rules.map((r) => [r.name, r.coveredBy])).toEqual([
      ['Stale (no fixed labels)', []],
      ['Stale{severity="page"}', ['paged']],
    ]);
  });

  it('reads a result that does not say which series it judged by the fired series its selector takes', () => {
    const old = drill('old', [trace('HighErrorRate', critical), trace('HighErrorRate', warning, { firingAt: null })], [fires('HighErrorRate', undefined)]);
    expect(alertCoverage(tiers, run([old])).rules.map((r) => [r.name, r.coveredBy])).toEqual([
      [WARN, []],
      [CRIT, ['old']],
      ['APIDown', []],
    ]);
  });

  it('names a rule by its alertname alone when no other rule shares it, and one rule for the same alert twice', () => {
    const coverage = alertCoverage([rule('APIDown', { severity: 'critical' }), rule('APIDown', { severity: 'critical' }), rule('Stale', { severity: '' }), rule('Stale', { severity: 'page' })], run([]));
    expect(coverage.rules.map((r) => r.name)).toEqual(['APIDown', 'Stale (no fixed labels)', 'Stale{severity="page"}']);
  });
});

describe('inhibition coverage', () => {
  const suppressing = scenario('open', [trace('CircuitBreakerOpen', { service: 'openai_api' }), trace('LLMProviderFailure', { service: 'openai_api' }, { inhibitedBy: ['CircuitBreakerOpen'] })], ['LLMProviderFailure']);
  const control = scenario('other', [trace('CircuitBreakerOpen', { service: 'gemini_api' }), trace('LLMProviderFailure', { service: 'openai_api' }, paged)]);

  it('counts a rule seen suppressing (asserted) and with a negative control', () => {
    expect(inhibitionCoverage(am, run([suppressing, control]))).toEqual({
      percent: 100,
      rules: [
        {
          index: 0,
          description: '{alertname="CircuitBreakerOpen"} mutes {alertname=~".*Failure"} equal [service]',
          suppressedIn: ['open'],
          controlIn: ['other'],
          controls: [{ scenario: 'other', target: 'LLMProviderFailure{service="openai_api"}', source: 'CircuitBreakerOpen{service="gemini_api"}', why: 'service differs (gemini_api vs openai_api)' }],
        },
      ],
    });
  });

  it('does not count a rule without a negative control, nor one seen suppressing but not asserted', () => {
    expect(inhibitionCoverage(am, run([suppressing])).percent).toBe(0);
    const unasserted = { ...suppressing, expectations: [] };
    expect(inhibitionCoverage(am, run([unasserted, control])).rules[0]!.suppressedIn).toEqual([]);
  });

  it('counts a control whose source was absent, and names it so', () => {
    const alone = scenario('alone', [trace('LLMProviderFailure', { service: 'openai_api' }, paged)]);
    expect(inhibitionCoverage(am, run([alone])).rules[0]!.controls).toEqual([{ scenario: 'alone', target: 'LLMProviderFailure{service="openai_api"}', source: 'absent', why: 'no source fired meanwhile' }]);
  });

  it('never counts a broken inhibition as a control: target paged while a source with the same equal label fired (counted before)', () => {
    const broken = scenario('broken', [trace('CircuitBreakerOpen', { service: 'openai_api' }), trace('LLMProviderFailure', { service: 'openai_api' }, paged)]);
    expect(inhibitionCoverage(am, run([suppressing, broken])).rules[0]!).toMatchObject({ controlIn: [], controls: [] });
    expect(inhibitionCoverage(am, run([suppressing, broken])).percent).toBe(0);
  });

  it('does not take a target outside the regex for a control', () => {
    const elsewhere = scenario('x', [trace('HighLLMErrorRate', { provider: 'openai' }, paged)]);
    expect(inhibitionCoverage(am, run([suppressing, elsewhere])).rules[0]!.controlIn).toEqual([]);
  });
});

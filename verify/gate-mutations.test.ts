// The gate must catch regressions. Fourteen mutations of the Piyasa config,
// each aimed at a different alert, go into one gate run: the gate must fail, name every broken
// alert (and the dropped metric family), and leave the verdict of every other alert intact.
// The global setup runs this combined gate beside the plain one; because the mutated alerts are
// disjoint, each failure below is attributable to exactly one mutation.
// `npm run gate:mutations` runs each mutation alone through the whole gate.
import { describe, expect, it } from 'vitest';
import { formatGateSummary } from '../src/report/gate-report.ts';
import { failedExpectations } from '../src/report/run-result.ts';
import { PIYASA_MUTATIONS } from './piyasa-mutations.ts';
import { mutationGateResult } from './shared-gates.ts';

/** Mutation -> the alert it must break. */
const BROKEN = Object.fromEntries(PIYASA_MUTATIONS.map((m) => [m.name, m.breaks]));
const gate = mutationGateResult();

const failed = () => failedExpectations(gate.run).map((e) => ({ scenario: e.scenario, alert: e.alert, description: e.description }));

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

  it('the dashboards stage names the one panel the dropped family empties, with its query and why', () => {
    const dashboards = gate.systems[0]!.dashboards!;
    expect(dashboards.checked).toBe(23);
    expect(dashboards.findings.map((f) => [f.row, f.panel, f.grade])).toEqual([['Telegram API', 'Telegram Rate Limit Hits', 'empty']]);
    expect(dashboards.findings[0]!.reason).toContain('no series');
    expect(formatGateSummary(gate)).toContain('FAIL Piyasa ChatBot - Production Overview / Telegram API / Telegram Rate Limit Hits [A]: empty: no series');
  });

  it('coverage drops where the mutations hit, and the summary says so', () => {
    const piyasa = gate.systems[0]!;
    const uncovered = piyasa.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.alertname).sort();
    // DatabaseConnectionPoolExhausted has one drill, which forRaised fails; CircuitBreakerOpen's second drill still covers it.
    // forDropped fails APIDown's three drills (api-outage, api-hang, metrics-endpoint-broken) by their fireAfter,
    // and forRemoved WorkerDown's worker-outage by its (and worker-restart, which expects it not to fire).
    expect(uncovered).toEqual(['APIDown', 'DatabaseConnectionPoolExhausted', 'HighAPIErrorRate', 'HighLLMErrorRate', 'LowCacheHitRate', 'SlowDatabaseQueries', 'TelegramRateLimitHit', 'WorkerDown', 'WorkerNoMessages']);
    // inhibitionDeleted took the APIDown rule out of the config; the CircuitBreakerOpen rule left no longer suppresses.
    expect(piyasa.inhibitionCoverage.rules.map((r) => [r.description, r.suppressedIn.length > 0])).toEqual([[expect.stringContaining('CircuitBreakerOpen'), false]]);
    expect(formatGateSummary(gate)).toMatch(/gate FAIL in \d+(\.\d)?s wall/);
  });
});

import { describe, expect, it } from 'vitest';
import { fault } from '../faults/fault-spec.ts';
import { planScenario } from '../scenario/scenario-plan.ts';
import { trafficSummaryFromK6, type K6SummaryData } from './k6-summary.ts';

const plan = planScenario(
  {
    name: 'k6',
    system: 'piyasa',
    duration: '10m',
    traffic: [
      { service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }], minOkRatio: 0.99 },
      { service: 'worker', rps: 5, requests: [{ method: 'GET', path: '/' }] },
    ],
    faults: [{ at: '1m', fault: fault.kill('api') }],
    expect: [{ kind: 'doesNotFire', alert: 'APIDown' }],
  },
  { scale: 20, historyMs: 0, restartGapMs: () => 0 },
);

// The shape of k6's handleSummary data (metrics[name].values and .thresholds[expr].ok).
const data: K6SummaryData = {
  state: { testRunDurationMs: 30_000 },
  metrics: {
    firedrill_requests: { values: { count: 750, rate: 25 } },
    firedrill_latency: { values: { med: 4.26, 'p(95)': 805.61, 'p(99)': 812.04 } },
    firedrill_status_200: { values: { count: 700 } },
    firedrill_status_0: { values: { count: 40 } },
    firedrill_status_other: { values: { count: 10 } },
    dropped_iterations: { values: { count: 3 } },
    checks: { values: { passes: 700, fails: 50, rate: 0.9333 } },
    'checks{scenario:traffic_0}': { values: { passes: 560, fails: 40, rate: 0.93333 }, thresholds: { 'rate>=0.99': { ok: false } } },
  },
};

describe('trafficSummaryFromK6', () => {
  it('gives the builtin engine summary shape, thresholds judged by k6', () => {
    expect(trafficSummaryFromK6(data, plan)).toEqual({
      requests: 750,
      achievedRps: 25,
      statuses: { '0': 40, '200': 700, other: 10 },
      dropped: 3,
      checkFailures: 50,
      latencyMs: { p50: 4.3, p95: 805.6, p99: 812 },
      thresholds: [{ stream: 'traffic_0', expression: 'rate>=0.99', observed: 0.9333, ok: false }],
    });
  });

  it('a threshold k6 did not report counts as failed, not as passed', () => {
    const { 'checks{scenario:traffic_0}': _dropped, ...metrics } = data.metrics;
    expect(trafficSummaryFromK6({ ...data, metrics }, plan).thresholds).toEqual([{ stream: 'traffic_0', expression: 'rate>=0.99', observed: 0, ok: false }]);
  });
});

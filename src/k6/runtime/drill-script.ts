// The k6 side of a firedrill scenario. `firedrill build` bundles this file with one scenario's
// plan and k6 options (esbuild `define`) into dist/k6/<scenario>.js; k6 modules stay external.
// Runs in k6's JavaScript runtime, not Node: only k6 modules and ES2017 after bundling.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import type { PlannedFaultCall, PlannedStream, ScenarioPlan } from '../../scenario/plan-types.ts';
import { COUNTED_STATUSES, METRIC, trafficSummaryFromK6, type K6SummaryData } from '../k6-summary.ts';
import { K6_ENV, parseK6Targets } from '../k6-env.ts';

declare const FIREDRILL_PLAN: ScenarioPlan;
declare const FIREDRILL_OPTIONS: Options;

const plan = FIREDRILL_PLAN;
export const options = FIREDRILL_OPTIONS;

// Init context: refuse to start against anything but 127.0.0.1, with the run's token.
const targets = parseK6Targets(__ENV, plan);
const authorization = { Authorization: `Bearer ${targets.faultToken}`, 'Content-Type': 'application/json' };

const requestsMetric = new Counter(METRIC.requests);
const latencyMetric = new Trend(METRIC.latency, true);
const statusMetrics: Record<string, Counter> = {};
for (const code of COUNTED_STATUSES) statusMetrics[String(code)] = new Counter(METRIC.status(code));
const otherStatusMetric = new Counter(METRIC.status('other'));

const streamsByName: Record<string, PlannedStream> = {};
for (const stream of plan.streams) streamsByName[stream.name] = stream;
const callsByName: Record<string, PlannedFaultCall> = {};
for (const call of plan.faultCalls) callsByName[call.name] = call;

/** Checks the stack is the one this script was built for: same system, same time scale. */
export function setup(): void {
  const res = http.get(`${targets.faultUrl}/info`, { headers: authorization, tags: { firedrill: 'control' } });
  if (res.status !== 200) exec.test.abort(`fault controller ${targets.faultUrl}/info answered ${res.status}: is the stack from 'firedrill up' still running, with this run's ${K6_ENV.faultToken}?`);
  const info = res.json() as { system: string; scale: number };
  if (info.system !== plan.system || info.scale !== plan.scale) {
    exec.test.abort(`this script was built for ${plan.system} at scale ${plan.scale}, the stack runs ${info.system} at scale ${info.scale}: rebuild with 'firedrill build --scale ${info.scale}'`);
  }
}

/** One arrival of a traffic stream: a weighted pick from its request mix. */
export function traffic(): void {
  const stream = streamsByName[exec.scenario.name]!;
  let roll = Math.random() * stream.requests.reduce((n, r) => n + (r.weight ?? 1), 0);
  const spec = stream.requests.find((r) => (roll -= r.weight ?? 1) < 0) ?? stream.requests[stream.requests.length - 1]!;
  const res = http.request(spec.method, `${targets.serviceUrls[stream.service]}${spec.path}`, spec.body ?? null, {
    headers: spec.body ? { 'Content-Type': 'application/json' } : {},
    timeout: '5s',
    tags: { name: `${spec.method} ${spec.path}` },
  });
  requestsMetric.add(1);
  (statusMetrics[String(res.status)] ?? otherStatusMetric).add(1);
  if (res.status !== 0) latencyMetric.add(res.timings.duration);
  check(res, { 'answered 2xx': (r) => r.status >= 200 && r.status < 300 });
}

/** The clock scenario: keeps the test running for the scenario's duration. */
export function clock(): void {
  sleep(1);
}

/** One fault step: inject or revert through the fault controller, by the fault's planned id. */
export function faultCall(): void {
  const call = callsByName[exec.scenario.name]!;
  const params = { headers: authorization, timeout: '60s', tags: { firedrill: 'control' } };
  const res =
    call.action === 'inject'
      ? http.post(`${targets.faultUrl}/faults`, JSON.stringify({ id: call.faultId, target: call.fault.target, kind: call.fault.kind, params: call.fault.params }), params)
      : http.del(`${targets.faultUrl}/faults/${call.faultId}`, null, params);
  if (res.status >= 300) exec.test.abort(`fault ${call.action} ${call.fault.kind}(${call.fault.target}) failed: ${res.status} ${String(res.body)}`);
}

/** Reverts whatever this plan injected, also when the run is interrupted. */
export function teardown(): void {
  for (const call of plan.faultCalls) {
    if (call.action !== 'inject') continue;
    // 400 "no such fault": never injected, or already reverted; both are fine here.
    http.del(`${targets.faultUrl}/faults/${call.faultId}`, null, { headers: authorization, timeout: '60s', tags: { firedrill: 'control' } });
  }
}

export function handleSummary(data: K6SummaryData): Record<string, string> {
  const summary = trafficSummaryFromK6(data, plan);
  const out: Record<string, string> = {
    stdout: `firedrill ${plan.name}: ${summary.requests} requests, ${summary.achievedRps} rps, statuses ${JSON.stringify(summary.statuses)}, p95 ${summary.latencyMs.p95}ms, ${summary.dropped} dropped\n`,
  };
  const summaryFile = __ENV[K6_ENV.summaryFile];
  if (summaryFile) out[summaryFile] = JSON.stringify(summary);
  return out;
}


// Bot-Core (fixtures/botcore), the compose-native system of the shared guides, wholly in
// containers (--stack containers): its services from its own compose file; Prometheus,
// Alertmanager, blackbox_exporter probing each health endpoint, redis_exporter and node_exporter
// on a simulated host from docker-compose.test.yml; Redis as a local process. Its gate must pass
// with every alert and every inhibit rule covered, and a copy whose PagerDuty route lost
// `continue: true` must fail where the guide's "critical to PagerDuty, Email and Slack" stops
// holding. Both ran in the global setup, beside the other runs in containers (global-setup.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { GateResult } from '../src/gate/run-gate.ts';
import type { RunResult } from '../src/report/run-result.ts';
import { leftBehind } from './container-projects.ts';
import { timingErrors } from './provider-parity.ts';
import { gateFailures } from './shared-gates.ts';

const { gate, broken } = inject('botcoreRuns');
const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('Bot-Core, drilled in its containers', () => {
  it('passes the gate: every drill, every expectation, the metric contract', () => {
    const result = read<GateResult>(gate.resultFile);
    expect([gate.code, gateFailures(result)], gate.stderrTail).toEqual([0, []]);
    expect(result.run.stack).toBe('containers');
  });

  it('covers every alert of the guide and both inhibit rules, each with a negative control', () => {
    const [system] = read<GateResult>(gate.resultFile).systems;
    expect(system!.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.alertname)).toEqual([]);
    expect(system!.alertCoverage.rules.map((r) => r.alertname).sort()).toEqual(
      ['DiskSpaceLow', 'HighCPUUsage', 'HighErrorRate', 'HighLatencyP95', 'HighMemoryUsage', 'LowTradingBalance', 'MongoDBDown', 'ServiceDown', 'TradingHalted'],
    );
    expect([system!.alertCoverage.percent, system!.inhibitionCoverage.percent]).toEqual([100, 100]);
  });

  it('times every alert exactly: firing follows pending by its scaled for', () => {
    expect(timingErrors(read<GateResult>(gate.resultFile))).toEqual([]);
  });

  it('fails, naming the receiver, when the PagerDuty route no longer continues to Email and Slack', () => {
    expect(broken.code, broken.stderrTail).toBe(1);
    const [drill] = read<RunResult>(broken.resultFile).scenarios;
    expect(drill!.expectations.filter((e) => !e.ok).map((e) => e.detail)).toContain(
      'HighErrorRate{service="rust-core-engine",severity="critical"} reached pagerduty but not email and slack; expected pagerduty, email and slack',
    );
    // The routing is what broke: the alerts themselves still fired as the drill expects.
    expect(drill!.expectations.filter((e) => e.kind === 'fires').map((e) => [e.description, e.ok])).toEqual(
      drill!.expectations.filter((e) => e.kind === 'fires').map((e) => [e.description, true]),
    );
  });

  it('leaves no container, network or run directory behind', () => {
    expect([...leftBehind(gate.pid), ...leftBehind(broken.pid)]).toEqual([]);
    for (const run of [gate, broken]) expect(readdirSync(run.tmp).filter((d) => d.startsWith('firedrill-'))).toEqual([]);
  });
});

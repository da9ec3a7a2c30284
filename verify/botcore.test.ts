// Bot-Core (fixtures/botcore), the compose-native system of the shared guides, wholly in
// containers (--stack containers): its services from its own compose file; Prometheus,
// Alertmanager, blackbox_exporter probing each health endpoint, redis_exporter and node_exporter
// on a simulated host from docker-compose.test.yml; Redis as a local process. Its gate must pass with every alert and every
// inhibit rule covered, and a copy whose PagerDuty route lost `continue: true` must fail where the
// guide's "critical to PagerDuty, Email and Slack" stops holding.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../src/gate/run-gate.ts';
import type { RunResult } from '../src/report/run-result.ts';
import { firedrill, leftBehind, type Outcome } from './container-runs.ts';
import { timingErrors } from './provider-parity.ts';

const BOTCORE = path.resolve('fixtures/botcore');
const PAGERDUTY_CONTINUE = { sound: "      receiver: 'pagerduty'\n      continue: true\n", broken: "      receiver: 'pagerduty'\n" } as const;

let work: string;
let gate: Outcome;
let broken: Outcome;
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(work, file), 'utf8')) as T;
beforeAll(async () => {
  // Inside the repo, so that the copy's `from 'firedrill'` resolves to this package.
  mkdirSync('.firedrill', { recursive: true });
  work = mkdtempSync(path.resolve('.firedrill/botcore-'));
  const copy = path.join(work, 'broken');
  cpSync(BOTCORE, copy, { recursive: true, filter: (source) => path.basename(source) !== '.firedrill' });
  // The copy's compose file mounts the repository two levels up, as the original does.
  const compose = path.join(copy, 'docker-compose.yml');
  writeFileSync(compose, readFileSync(compose, 'utf8').replace("'../..:/repo'", `'${path.resolve('.')}:/repo'`));
  const routes = path.join(copy, 'alertmanager.yml');
  const text = readFileSync(routes, 'utf8');
  if (!text.includes(PAGERDUTY_CONTINUE.sound)) throw new Error(`${routes}: the PagerDuty route's continue: true is not there to break; update verify/botcore.test.ts`);
  writeFileSync(routes, text.replace(PAGERDUTY_CONTINUE.sound, PAGERDUTY_CONTINUE.broken));
  [gate, broken] = await Promise.all([
    firedrill(BOTCORE, ['gate', '--stack', 'containers', '--engine', 'builtin', '--json', path.join(work, 'gate.json')], path.join(work, 'gate-tmp')),
    firedrill(copy, ['run', 'botcore-ui-down', '--stack', 'containers', '--engine', 'builtin', '--json', path.join(work, 'broken.json')], path.join(work, 'broken-tmp')),
  ]);
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('Bot-Core, drilled in its containers', () => {
  it('passes the gate: every drill, every expectation, the metric contract', () => {
    const result = existsSync(path.join(work, 'gate.json')) ? read<GateResult>('gate.json') : undefined;
    const failures = result ? result.run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => `${s.name}: ${e.description}: ${e.detail}`)) : [`no result; stderr: ${gate.stderr}`];
    expect([gate.code, failures]).toEqual([0, []]);
    expect(result!.run.stack).toBe('containers');
  });

  it('covers every alert of the guide and both inhibit rules, each with a negative control', () => {
    const [system] = read<GateResult>('gate.json').systems;
    expect(system!.alertCoverage.rules.filter((r) => r.coveredBy.length === 0).map((r) => r.alertname)).toEqual([]);
    expect(system!.alertCoverage.rules.map((r) => r.alertname).sort()).toEqual(
      ['DiskSpaceLow', 'HighCPUUsage', 'HighErrorRate', 'HighLatencyP95', 'HighMemoryUsage', 'LowTradingBalance', 'MongoDBDown', 'ServiceDown', 'TradingHalted'],
    );
    expect([system!.alertCoverage.percent, system!.inhibitionCoverage.percent]).toEqual([100, 100]);
  });

  it('times every alert exactly: firing follows pending by its scaled for', () => {
    expect(timingErrors(read<GateResult>('gate.json'))).toEqual([]);
  });

  it('fails, naming the receiver, when the PagerDuty route no longer continues to Email and Slack', () => {
    expect(broken.code).toBe(1);
    const [drill] = read<RunResult>('broken.json').scenarios;
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

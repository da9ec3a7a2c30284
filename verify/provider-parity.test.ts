// The same drills on both stack providers: every drill of the fixtures ran natively (the fixture
// gate) and wholly in containers (Prometheus, Alertmanager, the exporters and the services from
// docker-compose.test.yml, brought up by Testcontainers; faults on services and exporters act on
// containers), both in the global setup. The verdicts must be the same, and the timing exact.
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { gateFailures, gateResult, readGate } from './shared-gates.ts';
import { timingErrors, verdictDifferences } from './provider-parity.ts';
import type { GateResult } from '../src/gate/run-gate.ts';

const containers = () => readGate(inject('containersGateRun').resultFile);
const native = () => gateResult();
const names = { a: 'native', b: 'containers' };

describe('the same drills on native and containers stacks', () => {
  it('ran every drill of the system in containers, and the gate passed there at 100% coverage', () => {
    const gate = containers();
    expect([inject('containersGateRun').code, gateFailures(gate)], inject('containersGateRun').stderrTail).toEqual([0, []]);
    expect(gate.run.stack).toBe('containers');
    expect(gate.systems.map((s) => [s.system, s.alertCoverage.percent, s.inhibitionCoverage.percent])).toEqual([
      ['piyasa', 100, 100],
      ['thebot', 100, 100],
    ]);
    expect(gate.run.scenarios.map((s) => s.name)).toEqual(native().run.scenarios.map((s) => s.name));
  });

  it('gives every drill and every expectation the same verdict, with the same alerts fired', () => {
    expect(gateResult().run.stack).toBe('native');
    expect(verdictDifferences(native(), containers(), names)).toEqual([]);
  });

  it('has a timing error of 0 ms for every alert that fired, on both providers', () => {
    const fired = containers().run.scenarios.flatMap((s) => s.alerts).filter((t) => t.firingAt !== null);
    expect(fired.length).toBeGreaterThan(10);
    expect(timingErrors(containers())).toEqual([]);
    expect(timingErrors(native())).toEqual([]);
  });

  it('the comparison notices a drill whose verdict, expectation or alerts differ, and a timing error', () => {
    const gate = containers();
    const [first, second] = gate.run.scenarios;
    const flipped: GateResult = {
      ...gate,
      run: {
        ...gate.run,
        scenarios: [
          { ...first!, ok: !first!.ok, expectations: first!.expectations.map((e, i) => (i === 0 ? { ...e, ok: !e.ok } : e)) },
          { ...second!, alerts: second!.alerts.map((t) => ({ ...t, firingAt: t.firingAt === null ? null : new Date(Date.parse(t.firingAt) + 250).toISOString() })) },
          ...gate.run.scenarios.slice(3),
        ],
      },
    };
    const differences = verdictDifferences(gate, flipped, names);
    expect(differences.filter((d) => d.startsWith(`${first!.name}: `)).length).toBe(2);
    expect(differences).toContain(`${gate.run.scenarios[2]!.name}: ran on native, not on containers`);
    expect(timingErrors(flipped).every((e) => e.startsWith(`${second!.name} `) && e.endsWith(': 250 ms'))).toBe(true);
    expect(timingErrors(flipped).length).toBe(second!.alerts.filter((t) => t.firingAt !== null && t.pendingAt !== null).length);
  });

  it('the comparison passes over an alert the drill allows with toMayFire, and only that one', () => {
    const gate = containers();
    const drill = gate.run.scenarios.find((s) => s.alerts.some((t) => t.firingAt !== null))!;
    const alert = drill.alerts.find((t) => t.firingAt !== null)!;
    const editDrill = (g: GateResult, edit: (s: GateResult['run']['scenarios'][number]) => GateResult['run']['scenarios'][number]): GateResult => ({
      ...g,
      run: { ...g.run, scenarios: g.run.scenarios.map((s) => (s.name === drill.name ? edit(s) : s)) },
    });
    const unfired = (g: GateResult) => editDrill(g, (s) => ({ ...s, alerts: s.alerts.map((t) => (t === alert ? { ...t, firingAt: null } : t)) }));
    const allowed = editDrill(gate, (s) => ({
      ...s,
      expectations: [...s.expectations, { ...s.expectations[0]!, kind: 'mayFire' as const, alert: alert.alertname, description: `${alert.alertname} may fire`, ok: true }],
    }));
    expect(verdictDifferences(gate, unfired(gate), names)).toEqual([expect.stringMatching(new RegExp(`^${drill.name}: fired \\[.*${alert.alertname}`))]);
    expect(verdictDifferences(allowed, unfired(allowed), names)).toEqual([]);
  });
});

// The same drills on both stack providers: Piyasa's drills ran natively (the fixture gate) and in
// containers (Prometheus, Alertmanager and the two services from docker-compose.test.yml, brought
// up by Testcontainers; its faults on the services act on containers), both in the global setup. The verdicts must be the same, and the timing exact.
import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { gateResult, readGate } from './shared-gates.ts';
import { timingErrors, verdictDifferences } from './provider-parity.ts';
import type { GateResult } from '../src/gate/run-gate.ts';

const containers = () => readGate(inject('containersGateRun').resultFile);
/** The native gate's run cut to the drills the containers gate ran (it ran every system). */
const nativeOf = (systems: readonly string[]): GateResult => {
  const native = gateResult();
  return { ...native, run: { ...native.run, scenarios: native.run.scenarios.filter((s) => systems.includes(s.system ?? '')) } };
};
const names = { a: 'native', b: 'containers' };

describe('the same drills on native and containers stacks', () => {
  it('ran every drill of the system in containers, and the gate passed there at 100% coverage', () => {
    const gate = containers();
    expect(inject('containersGateRun').code, inject('containersGateRun').stderrTail).toBe(0);
    expect(gate.run.stack).toBe('containers');
    expect(gate.systems.map((s) => [s.system, s.alertCoverage.percent, s.inhibitionCoverage.percent])).toEqual([['piyasa', 100, 100]]);
    expect(gate.run.scenarios.length).toBe(nativeOf(['piyasa']).run.scenarios.length);
  });

  it('gives every drill and every expectation the same verdict, with the same alerts fired', () => {
    expect(gateResult().run.stack).toBe('native');
    expect(verdictDifferences(nativeOf(['piyasa']), containers(), names)).toEqual([]);
  });

  it('has a timing error of 0 ms for every alert that fired, on both providers', () => {
    const fired = containers().run.scenarios.flatMap((s) => s.alerts).filter((t) => t.firingAt !== null);
    expect(fired.length).toBeGreaterThan(10);
    expect(timingErrors(containers())).toEqual([]);
    expect(timingErrors(nativeOf(['piyasa']))).toEqual([]);
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
});

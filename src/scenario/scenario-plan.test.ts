import { describe, expect, it } from 'vitest';
import { fault } from '../faults/fault-spec.ts';
import type { Scenario } from './define-scenario.ts';
import { arrivalsBy, planScenario, rateAt } from './scenario-plan.ts';

const scenario: Scenario = {
  name: 'plan',
  system: 'piyasa',
  duration: '10m',
  traffic: [{ service: 'api', rps: 10, ramp: [{ over: '2m', rps: 30 }], requests: [{ method: 'GET', path: '/' }], minOkRatio: 0.9 }],
  faults: [
    { at: '1m', hold: '4m', fault: fault.latency('api', '800ms') },
    { at: '5m', fault: fault.kill('api') },
  ],
  expect: [{ kind: 'doesNotFire', alert: 'APIDown' }],
};

const atScale20 = { scale: 20, historyMs: 0, restartGapMs: () => 20_000 };

describe('planScenario', () => {
  const plan = planScenario(scenario, atScale20);

  it('converts the timeline to wall seconds at the scale', () => {
    expect(plan.durationS).toBe(30);
    expect(plan.streams[0]).toMatchObject({ name: 'traffic_0', startRps: 10, minOkRatio: 0.9, stages: [{ durationS: 6, targetRps: 30 }, { durationS: 24, targetRps: 30 }] });
  });

  it('orders fault calls by time, a revert before an inject at the same instant; no hold means the scenario end', () => {
    expect(plan.faultCalls.map((c) => [c.name, c.action, c.faultId, c.atS])).toEqual([
      ['fault_0', 'inject', 'plan.0', 3],
      ['fault_1', 'revert', 'plan.0', 15],
      ['fault_2', 'inject', 'plan.1', 15],
      ['fault_3', 'revert', 'plan.1', 30],
    ]);
  });
});

describe('history before the timeline', () => {
  const plan = planScenario(scenario, { ...atScale20, historyMs: 240_000 });

  it('runs every stream at its starting rate for the history, then the timeline; fault steps move with it', () => {
    expect(plan.historyS).toBe(12);
    expect(plan.durationS).toBe(42);
    expect(plan.streams[0]!.stages).toEqual([{ durationS: 12, targetRps: 10 }, { durationS: 6, targetRps: 30 }, { durationS: 24, targetRps: 30 }]);
    expect(plan.faultCalls.map((c) => [c.action, c.faultId, c.atS])).toEqual([
      ['inject', 'plan.0', 15],
      ['revert', 'plan.0', 27],
      ['inject', 'plan.1', 27],
      ['revert', 'plan.1', 42],
    ]);
  });
});

describe('restart gaps', () => {
  it('become wall milliseconds for the fault controller: the step\'s gap, else the default of the target', () => {
    const withRestarts: Scenario = { ...scenario, faults: [{ at: '1m', fault: fault.restart('api') }, { at: '2m', fault: fault.restart('api', { gap: '1m' }) }] };
    const calls = planScenario(withRestarts, atScale20).faultCalls.filter((c) => c.action === 'inject');
    expect(calls.map((c) => c.fault)).toEqual([
      { target: 'api', kind: 'restart', params: { gapMs: 1_000 } },
      { target: 'api', kind: 'restart', params: { gapMs: 3_000 } },
    ]);
  });
});

describe('arrivals of a ramped stream', () => {
  const stream = planScenario(scenario, atScale20).streams[0]!;

  it('rate rises linearly over the stage, then holds', () => {
    expect(rateAt(stream, 0)).toBe(10);
    expect(rateAt(stream, 3)).toBe(20);
    expect(rateAt(stream, 6)).toBe(30);
    expect(rateAt(stream, 29)).toBe(30);
  });

  it('arrivals are the integral of the rate', () => {
    expect(arrivalsBy(stream, 6)).toBeCloseTo(120); // (10 + 30) / 2 * 6
    expect(arrivalsBy(stream, 10)).toBeCloseTo(240);
    expect(arrivalsBy(stream, 40)).toBeCloseTo(120 + 30 * 34); // past the end: the last rate holds
  });
});

// A service declared by `compose:` from its team's own compose file (fixtures/compose-shop), drilled
// from outside through its container: killed, paused, taken off its network. The gate must pass
// with every container gone afterwards, and fail on a copy whose ShopDown can no longer fire. Both
// gates ran in the global setup, beside the other runs in containers (global-setup.ts).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { gateFailures, readGate } from './shared-gates.ts';
import { leftBehind } from './container-projects.ts';
import { timingErrors } from './provider-parity.ts';

const { sound: soundRun, broken: brokenRun } = inject('composeShopRuns');
const sound = { ...soundRun, gate: readGate(soundRun.resultFile) };
const broken = { ...brokenRun, gate: readGate(brokenRun.resultFile) };

describe('a service from its own compose file', () => {
  it('passes the gate: ShopDown (its scrape) and ShopOrdersFailing (a blackbox probe) fire and resolve when its container is killed, paused or disconnected, and never in the baseline', () => {
    expect([sound.code, gateFailures(sound.gate)], sound.stderrTail).toEqual([0, []]);
    expect(sound.gate.run.scenarios.map((s) => [s.name, s.ok, s.faults.map((f) => f.kind)])).toEqual([
      ['compose-shop-baseline', true, []],
      ['compose-shop-disconnected', true, ['disconnect']],
      ['compose-shop-killed', true, ['kill']],
      ['compose-shop-paused', true, ['pause']],
    ]);
    expect(sound.gate.systems.map((s) => s.alertCoverage.percent)).toEqual([100]);
    expect(timingErrors(sound.gate)).toEqual([]);
  });

  it('really took the container down for the kill (its down time measured, not assumed)', () => {
    const killed = sound.gate.run.scenarios.find((s) => s.name === 'compose-shop-killed')!;
    expect(killed.faults[0]!.downSeconds).toBeGreaterThan(0);
  });

  it('fails on a copy whose ShopDown can no longer fire, in every drill that needs it', () => {
    expect(broken.code, broken.stderrTail).toBe(1);
    const failed = broken.gate.run.scenarios.filter((s) => !s.ok).map((s) => s.name);
    expect(failed).toEqual(['compose-shop-disconnected', 'compose-shop-killed', 'compose-shop-paused']);
    for (const scenario of broken.gate.run.scenarios.filter((s) => !s.ok)) {
      expect(scenario.expectations.filter((e) => !e.ok).map((e) => e.alert)).toContain('ShopDown');
    }
  });

  it('leaves no container, no network and no run directory of either run behind, but those --keep kept (the broken run), each named as its drill started', () => {
    expect(leftBehind(sound.pid)).toEqual([]);
    expect(leftBehind(broken.pid)).toEqual([]);
    expect(readdirSync(sound.tmp).filter((d) => d.startsWith('firedrill-'))).toEqual([]);
    const named = [...broken.stderrTail.matchAll(/^> (\S+): .*; run directory kept: (\S+)$/gm)].map(([, scenario, dir]) => [scenario, path.basename(dir!)]);
    // A drill run again (machine interference) starts, and keeps, a second stack.
    const attempts = (s: (typeof broken.gate.run.scenarios)[number]) => Array<string>((s.voidAttempts?.length ?? 0) + 1).fill(s.name);
    expect(named.map(([scenario]) => scenario).sort()).toEqual(broken.gate.run.scenarios.flatMap(attempts).sort());
    const kept = readdirSync(broken.tmp).filter((d) => d.startsWith('firedrill-'));
    expect(kept.sort()).toEqual(named.map(([, dir]) => dir).sort());
    for (const dir of kept) expect(readdirSync(path.join(broken.tmp, dir))).toContain('prometheus.yml');
  });
});

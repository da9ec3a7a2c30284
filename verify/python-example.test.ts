// The README's own-system example, run as its reader runs it: `npx firedrill gate` in
// fixtures/python-shop, a Python service (Debian's python3 and python3-prometheus-client) with no
// fault endpoint, a real Redis reached through firedrill's fault proxy, a real redis_exporter, and
// real process faults. Then the same project with one alert broken: the gate must say which.
// Both gates ran in the global setup (beside the others); this file reads what they did.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { gateFailures, readGate } from './shared-gates.ts';
import { PYTHON_SHOP, SHOP_SLOW_THRESHOLD } from './python-shop-project.ts';

describe('the Python example, drilled from outside', () => {
  const run = inject('pythonGate');
  const result = readGate(run.resultFile);

  it('passes the gate: every alert fires in a drill, the inhibition is proved with its negative control', () => {
    expect([run.code, gateFailures(result)], run.stderrTail).toEqual([0, []]);
    const [shop] = result.systems;
    expect(shop!.alertCoverage.percent).toBe(100);
    expect(shop!.inhibitionCoverage.percent).toBe(100);
    expect(shop!.contract?.findings).toEqual([]);
    expect(result.run.scenarios.map((s) => [s.name, s.ok]).sort()).toEqual([
      ['shop-baseline', true],
      ['shop-cache-resets', true],
      ['shop-killed', true],
      ['shop-redis-down', true],
      ['shop-slow-cache', true],
    ]);
  });

  it("sees the proxy's latency in the service's own histogram, and the process faults as real exits", () => {
    const slow = result.run.scenarios.find((s) => s.name === 'shop-slow-cache')!;
    expect(slow.expectations.find((e) => e.description === 'ShopSlow fires within its for window')?.ok).toBe(true);
    const killed = result.run.scenarios.find((s) => s.name === 'shop-killed')!;
    expect(killed.faults).toEqual([expect.objectContaining({ target: 'shop', kind: 'kill', downSeconds: expect.any(Number) })]);
    expect(killed.faults[0]!.downSeconds).toBeGreaterThan(0);
  });

  it('leaves no run directory behind', () => {
    expect(readdirSync(os.tmpdir()).filter((d) => d.startsWith('firedrill-shop-')), 'run directories left').toEqual([]);
  });
});

describe('the Python example with ShopSlow broken (threshold 500 ms raised to 5 s)', () => {
  it('is the example with that one threshold changed', () => {
    const sound = readFileSync(path.join(PYTHON_SHOP, 'alerts.yml'), 'utf8');
    expect(sound).toContain(SHOP_SLOW_THRESHOLD.sound);
    expect(sound).not.toContain(SHOP_SLOW_THRESHOLD.broken);
  });

  it('fails the gate in the drill that needs it, naming the alert', () => {
    const run = inject('pythonBrokenGate');
    const result = readGate(run.resultFile);
    expect(run.code, run.stderrTail).toBe(1);
    const failed = result.run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => `${s.name}: ${e.description}`));
    expect(failed).toContain('shop-slow-cache: ShopSlow fires within its for window');
    expect(result.systems[0]!.alertCoverage.percent).toBeLessThan(100);
    // What the sound gates' checks print when they fail: the expectation and the uncovered alert.
    expect(gateFailures(result)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^FAIL shop-slow-cache: ShopSlow fires within its for window: /), expect.stringMatching(/never fired and asserted: .*ShopSlow/)]),
    );
  });
});

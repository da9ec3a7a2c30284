// A service declared by `compose:` from its team's own compose file (fixtures/compose-shop), drilled
// from outside through its container: killed, paused, taken off its network. The gate must pass
// with every container gone afterwards, and fail on a copy whose ShopDown can no longer fire.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../src/gate/run-gate.ts';
import { readGate } from './shared-gates.ts';
import { firedrill, leftBehind } from './container-runs.ts';
import { timingErrors } from './provider-parity.ts';

const COMPOSE_SHOP = path.resolve('fixtures/compose-shop');
const SHOP_DOWN = { sound: 'expr: up{job="shop"} == 0', broken: 'expr: up{job="shop"} == 2' } as const;

/** The gate in `cwd`, with a temporary directory of its own (`tmp`), and its result JSON. */
const gate = async (cwd: string, json: string, tmp: string, extra: string[] = []) => {
  const outcome = await firedrill(cwd, ['gate', '--engine', 'builtin', '--json', json, ...extra], tmp);
  return { ...outcome, get gate(): GateResult { return readGate(json); } };
};
type GateOutcome = Awaited<ReturnType<typeof gate>>;

let work: string;
let sound: GateOutcome;
let broken: GateOutcome;
beforeAll(async () => {
  // Inside the repo, so that the copy's `from 'firedrill'` resolves to this package.
  mkdirSync('.firedrill', { recursive: true });
  work = mkdtempSync(path.resolve('.firedrill/compose-shop-'));
  const brokenDir = path.join(work, 'broken');
  cpSync(COMPOSE_SHOP, brokenDir, { recursive: true, filter: (source) => path.basename(source) !== '.firedrill' });
  const alerts = path.join(brokenDir, 'alerts.yml');
  const text = readFileSync(alerts, 'utf8');
  if (!text.includes(SHOP_DOWN.sound)) throw new Error(`${alerts}: '${SHOP_DOWN.sound}' is not there to break; update verify/compose-shop.test.ts`);
  writeFileSync(alerts, text.replace(SHOP_DOWN.sound, SHOP_DOWN.broken));
  [sound, broken] = await Promise.all([gate(COMPOSE_SHOP, path.join(work, 'sound.json'), path.join(work, 'sound-tmp')), gate(brokenDir, path.join(work, 'broken.json'), path.join(work, 'broken-tmp'), ['--keep'])]);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a service from its own compose file', () => {
  it('passes the gate: ShopDown (its scrape) and ShopOrdersFailing (a blackbox probe) fire and resolve when its container is killed, paused or disconnected, and never in the baseline', () => {
    const failures = sound.code === 2 ? [sound.stderr] : sound.gate.run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => `${s.name}: ${e.description}: ${e.detail}`));
    expect([sound.code, failures]).toEqual([0, []]);
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
    expect(broken.code).toBe(1);
    const failed = broken.gate.run.scenarios.filter((s) => !s.ok).map((s) => s.name);
    expect(failed).toEqual(['compose-shop-disconnected', 'compose-shop-killed', 'compose-shop-paused']);
    for (const scenario of broken.gate.run.scenarios.filter((s) => !s.ok)) {
      expect(scenario.expectations.filter((e) => !e.ok).map((e) => e.alert)).toContain('ShopDown');
    }
  });

  it('leaves no container, no network and no run directory of either run behind, but those --keep kept (the broken run), each named as its drill started', () => {
    expect(leftBehind(sound.pid)).toEqual([]);
    expect(leftBehind(broken.pid)).toEqual([]);
    expect(readdirSync(path.join(work, 'sound-tmp')).filter((d) => d.startsWith('firedrill-'))).toEqual([]);
    const named = [...broken.stderr.matchAll(/^> (\S+): .*; run directory kept: (\S+)$/gm)].map(([, scenario, dir]) => [scenario, path.basename(dir!)]);
    // A drill run again (machine interference) starts, and keeps, a second stack.
    const attempts = (s: (typeof broken.gate.run.scenarios)[number]) => Array<string>((s.voidAttempts?.length ?? 0) + 1).fill(s.name);
    expect(named.map(([scenario]) => scenario).sort()).toEqual(broken.gate.run.scenarios.flatMap(attempts).sort());
    const kept = readdirSync(path.join(work, 'broken-tmp')).filter((d) => d.startsWith('firedrill-'));
    expect(kept.sort()).toEqual(named.map(([, dir]) => dir).sort());
    for (const dir of kept) expect(readdirSync(path.join(work, 'broken-tmp', dir))).toContain('prometheus.yml');
  });
});

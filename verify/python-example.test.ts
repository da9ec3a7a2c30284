// The README's own-system example, run as its reader runs it: `npx firedrill gate` in
// fixtures/python-shop, a Python service (Debian's python3 and python3-prometheus-client) with no
// fault endpoint, a real Redis reached through firedrill's fault proxy, a real redis_exporter, and
// real process faults. Then the same project with one alert broken: the gate must say which.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../src/gate/run-gate.ts';

const exec = promisify(execFile);
const BIN = path.resolve('bin/firedrill.mjs');
const EXAMPLE = path.resolve('fixtures/python-shop');
// Inside the repo, so that the example's `from 'firedrill'` resolves to this package, as it does in a user's project.
const work = (mkdirSync('.firedrill', { recursive: true }), mkdtempSync(path.resolve('.firedrill/python-shop-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function gate(cwd: string, args: string[]): Promise<{ code: number; stderr: string; result: GateResult }> {
  const tmp = mkdtempSync(path.join(work, 'tmp-'));
  const json = path.join(work, `gate-${path.basename(tmp)}.json`);
  let code = 0;
  let stderr = '';
  try {
    ({ stderr } = await exec(process.execPath, [BIN, 'gate', ...args, '--json', json], { cwd, env: { ...process.env, TMPDIR: tmp }, maxBuffer: 64 * 2 ** 20 }));
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    code = typeof failed.code === 'number' ? failed.code : -1;
    stderr = failed.stderr ?? String(error);
  }
  expect(readdirSync(tmp).filter((d) => d.startsWith('firedrill-')), 'run directories left').toEqual([]);
  return { code, stderr, result: JSON.parse(readFileSync(json, 'utf8')) as GateResult };
}

describe('the Python example, drilled from outside', () => {
  let outcome: Awaited<ReturnType<typeof gate>>;
  beforeAll(async () => {
    outcome = await gate(EXAMPLE, []);
  }, 300_000);

  it('passes the gate: every alert fires in a drill, the inhibition is proved with its negative control', () => {
    expect(outcome.code, outcome.stderr.slice(-3000)).toBe(0);
    const [shop] = outcome.result.systems;
    expect(shop!.alertCoverage.percent).toBe(100);
    expect(shop!.inhibitionCoverage.percent).toBe(100);
    expect(outcome.result.run.scenarios.map((s) => [s.name, s.ok]).sort()).toEqual([
      ['shop-baseline', true],
      ['shop-cache-resets', true],
      ['shop-killed', true],
      ['shop-redis-down', true],
      ['shop-slow-cache', true],
    ]);
  });

  it("sees the proxy's latency in the service's own histogram, and the process faults as real exits", () => {
    const slow = outcome.result.run.scenarios.find((s) => s.name === 'shop-slow-cache')!;
    expect(slow.expectations.find((e) => e.description === 'ShopSlow fires within its for window')?.ok).toBe(true);
    const killed = outcome.result.run.scenarios.find((s) => s.name === 'shop-killed')!;
    expect(killed.faults).toEqual([expect.objectContaining({ target: 'shop', kind: 'kill', downSeconds: expect.any(Number) })]);
    expect(killed.faults[0]!.downSeconds).toBeGreaterThan(0);
  });
});

describe('the Python example with ShopSlow broken (threshold 500 ms raised to 5 s)', () => {
  it('fails the gate in the drill that needs it, naming the alert', async () => {
    const broken = path.join(work, 'broken');
    cpSync(EXAMPLE, broken, { recursive: true });
    const alerts = path.join(broken, 'alerts.yml');
    const text = readFileSync(alerts, 'utf8');
    expect(text).toContain('[5m]))) > 0.5');
    writeFileSync(alerts, text.replace('[5m]))) > 0.5', '[5m]))) > 5'));
    const { code, result } = await gate(broken, []);
    expect(code).toBe(1);
    const failed = result.run.scenarios.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => `${s.name}: ${e.description}`));
    expect(failed).toContain('shop-slow-cache: ShopSlow fires within its for window');
    expect(result.systems[0]!.alertCoverage.percent).toBeLessThan(100);
  }, 300_000);
});

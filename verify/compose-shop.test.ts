// A service declared by `compose:` from its team's own compose file (fixtures/compose-shop), drilled
// from outside through its container: killed, paused, taken off its network. The gate must pass
// with every container gone afterwards, and fail on a copy whose ShopDown can no longer fire.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../src/gate/run-gate.ts';
import { PROJECT_LABEL } from '../src/stack/containers/compose-projects.ts';
import { readGate } from './shared-gates.ts';
import { timingErrors } from './provider-parity.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const COMPOSE_SHOP = path.resolve('fixtures/compose-shop');
const SHOP_DOWN = { sound: 'expr: up{job="shop"} == 0', broken: 'expr: up{job="shop"} == 2' } as const;

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
  readonly pid: number;
  readonly gate: GateResult;
}

/** The gate in `cwd`, with a temporary directory of its own (`tmp`) for its run directories. */
function gate(cwd: string, json: string, tmp: string): Promise<Outcome> {
  mkdirSync(tmp);
  const child = spawn(process.execPath, [BIN, 'gate', '--engine', 'builtin', '--json', json], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  let stderr = '';
  // Its own lines, not the live progress (`  <drill>  3s/11s ...`), which would push them out.
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString().split('\n').filter((l) => !/^  \S+  (\d+s\/\d+s|settling)/.test(l)).join('\n')).slice(-3000)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr, pid: child.pid!, get gate() { return readGate(json); } })));
}

/** What is left, running or not, of the compose projects a firedrill process brought up: containers and networks. */
const leftBehind = (pid: number) =>
  ['ps', 'network ls'].flatMap((what) =>
    spawnSyncLines(['docker', ...what.split(' '), ...(what === 'ps' ? ['--all'] : []), '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Label "${PROJECT_LABEL}"}}`]).filter((project) =>
      new RegExp(`^firedrill-[a-z0-9]+-${pid}-\\d+$`).test(project),
    ),
  );

const spawnSyncLines = ([command, ...args]: string[]) => spawnSync(command!, args, { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

let work: string;
let sound: Outcome;
let broken: Outcome;
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
  [sound, broken] = await Promise.all([gate(COMPOSE_SHOP, path.join(work, 'sound.json'), path.join(work, 'sound-tmp')), gate(brokenDir, path.join(work, 'broken.json'), path.join(work, 'broken-tmp'))]);
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

  it('leaves no container, no network and no run directory of either run behind', () => {
    expect(leftBehind(sound.pid)).toEqual([]);
    expect(leftBehind(broken.pid)).toEqual([]);
    for (const tmp of ['sound-tmp', 'broken-tmp']) expect(readdirSync(path.join(work, tmp)).filter((d) => d.startsWith('firedrill-'))).toEqual([]);
  });
});

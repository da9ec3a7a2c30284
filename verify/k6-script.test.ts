// The compiled k6 scripts: what `firedrill build` writes must parse as ES2017, carry k6
// options that replay the scenario's timeline, and, executed, make the same fault-controller
// calls the builtin engine makes. No k6 binary exists on this machine, so the script's own
// functions run on the k6 module shim in verify/k6-shim (see its README); where k6 exists,
// the last test runs the script with the real k6 engine instead.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'acorn';
import { build } from 'esbuild';
import type { Scenario as K6Scenario } from 'k6/options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScripts } from '../src/cli/build-scripts.ts';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { chooseEngine } from '../src/engine/choose-engine.ts';
import { K6Engine } from '../src/engine/k6-engine.ts';
import { k6Env, K6_ENV, parseK6Targets } from '../src/k6/k6-env.ts';
import { loadScenarios } from '../src/scenario/load-scenarios.ts';
import { planScenario, type ScenarioPlan } from '../src/scenario/scenario-plan.ts';
import type { Scenario } from '../src/scenario/define-scenario.ts';
import { findK6 } from '../src/stack/binaries.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';
import type { StartedStack } from '../src/stack/started-stack.ts';
import { planContextFor } from '../src/scenario/plan-context.ts';

const SHIM = path.resolve('verify/k6-shim');
const outDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-k6-build-'));
const config = await loadConfig('firedrill.config.ts');
const compiled = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const scenarios = (await loadScenarios(config.scenariosDir, compiled)).map((l) => l.scenario);
const built = await buildScripts(config, [], 'auto', outDir);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const planOf = (s: Scenario) => planScenario(s, planContextFor(s, compiled.get(s.system)!));
const script = (name: string) => readFileSync(path.join(outDir, `${name}.js`), 'utf8');

/** k6's __ENV: where the script's init code finds the stack. Options tests need only a well-formed one. */
(globalThis as { __ENV?: Record<string, string> }).__ENV = {
  [K6_ENV.targets]: JSON.stringify(Object.fromEntries(config.systems.flatMap((s) => s.services.map((service) => [service.name, 'http://127.0.0.1:9'])))),
  [K6_ENV.faultUrl]: 'http://127.0.0.1:9',
  [K6_ENV.faultToken]: 'unused-for-options-only',
};
let loads = 0;

/** A built script's exports, with k6 modules mapped to the shim; init code runs afresh on each load. */
async function loadOnShim(name: string): Promise<Record<string, unknown> & { options: { scenarios: Record<string, K6Scenario>; thresholds: Record<string, string[]> } }> {
  const file = path.join(outDir, `${name}.shim-${++loads}.mjs`);
  await bundleOnShim(name, file);
  return (await import(file)) as never;
}

async function bundleOnShim(name: string, file: string): Promise<void> {
  await build({
    entryPoints: [path.join(outDir, `${name}.js`)],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    plugins: [
      {
        name: 'k6-shim',
        setup(b) {
          b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => ({ path: path.join(SHIM, `${args.path === 'k6' ? 'k6' : args.path.slice(3)}.ts`), external: true }));
        },
      },
    ],
    logLevel: 'silent',
  });
}

interface ShimRun {
  results: { as: string; fn: string; error?: string }[];
  checks: { passes: number; fails: number };
  requests: { method: string; url: string; body: string | null; headers: Record<string, string> }[];
}

/** Runs script functions in a child process (see verify/k6-shim/run-script.ts): k6 HTTP is synchronous. */
async function runOnShim(name: string, env: Record<string, string>, calls: { as: string; fn: string }[]): Promise<ShimRun> {
  const file = path.join(outDir, `${name}.shim-${++loads}.mjs`);
  await bundleOnShim(name, file);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(SHIM, 'run-script.ts'), file, JSON.stringify({ env, calls })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'exit');
  return JSON.parse(out) as ShimRun;
}

describe('firedrill build', () => {
  it('writes one k6 script per scenario', () => {
    expect(built.map((b) => b.scenario).sort()).toEqual(scenarios.map((s) => s.name).sort());
  });

  it('writes ES2017 that k6 v0.4x parses; the parser does reject newer syntax', () => {
    for (const b of built) expect(() => parse(script(b.scenario), { ecmaVersion: 2017, sourceType: 'module' }), b.scenario).not.toThrow();
    expect(() => parse('const copy = { ...original };', { ecmaVersion: 2017, sourceType: 'module' })).toThrow();
    expect(() => parse('a?.b;', { ecmaVersion: 2017, sourceType: 'module' })).toThrow();
  });

  it('leaves k6 modules external and imports nothing else', () => {
    for (const b of built) {
      const imports = [...script(b.scenario).matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
      expect(imports.every((i) => /^k6(\/|$)/.test(i)), `${b.scenario}: ${imports.join(', ')}`).toBe(true);
      expect(imports).toContain('k6/http');
    }
  });
});

describe('compiled k6 options replay the scenario timeline', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (name, scenario) => {
    const plan = planOf(scenario);
    const { options } = await loadOnShim(name);
    const traffic = Object.entries(options.scenarios).filter(([, s]) => s.exec === 'traffic');
    const faults = Object.entries(options.scenarios).filter(([, s]) => s.exec === 'faultCall');
    expect(traffic).toHaveLength(scenario.traffic.length);
    // The clock holds the run open for the whole timeline, traffic or not.
    expect(options.scenarios.clock).toMatchObject({ executor: 'constant-vus', vus: 1, duration: `${Math.round(plan.durationS * 1000)}ms`, exec: 'clock' });
    for (const [, s] of traffic) {
      expect(s.executor).toBe('ramping-arrival-rate');
      if (s.executor !== 'ramping-arrival-rate') continue;
      const totalMs = s.stages.reduce((sum, stage) => sum + Number(stage.duration.replace('ms', '')), 0);
      expect(totalMs).toBe(Math.round(plan.durationS * 1000)); // traffic runs for the whole scenario
    }
    // Each fault step is an inject and a revert, single-iteration, at rule time / scale.
    expect(faults).toHaveLength(scenario.faults.length * 2);
    for (const [i, step] of scenario.faults.entries()) {
      const injectAt = plan.faultCalls.find((c) => c.faultId === `${name}.${i}` && c.action === 'inject')!;
      const k6 = options.scenarios[injectAt.name]!;
      expect(k6).toMatchObject({ executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: `${Math.round(injectAt.atS * 1000)}ms` });
      // A restart's gap (rule time, or its default) travels as wall milliseconds; every other fault as written.
      if (step.fault.kind === 'restart') expect(injectAt.fault).toEqual({ target: step.fault.target, kind: 'restart', params: { gapMs: expect.any(Number) } });
      else expect(injectAt.fault).toEqual(step.fault);
    }
    const thresholdStreams = scenario.traffic.flatMap((t, i) => (t.minOkRatio === undefined ? [] : [[`checks{scenario:traffic_${i}}`, [`rate>=${t.minOkRatio}`]]]));
    expect(options.thresholds).toEqual(Object.fromEntries(thresholdStreams));
  });

  it('ramps follow the scenario after the history: api-latency holds 10 rps for 4m of history, goes 10 -> 30 rps over 3m of rule time, then holds', async () => {
    const { options } = await loadOnShim('api-latency');
    const scale = compiled.get('piyasa')!.scale;
    expect(options.scenarios.traffic_0).toMatchObject({
      startRate: 10,
      timeUnit: '1s',
      stages: [
        { target: 10, duration: `${(4 * 60_000) / scale}ms` },
        { target: 30, duration: `${(3 * 60_000) / scale}ms` },
        { target: 30, duration: `${(7 * 60_000) / scale}ms` },
      ],
    });
  });
});

describe('a compiled script against a real stack (k6 modules shimmed)', () => {
  let stack: StartedStack;
  let plan: ScenarioPlan;
  let env: Record<string, string>;
  beforeAll(async () => {
    plan = planOf(scenarios.find((s) => s.name === 'api-outage')!);
    stack = await startNativeStack(compiled.get('piyasa')!);
    env = k6Env({ serviceUrls: Object.fromEntries(stack.serviceUrls), faultUrl: stack.faults.url, faultToken: stack.faultToken });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const active = () => stack.faults.records().filter((r) => r.revertedAtMs === null).map((r) => r.id);

  it('setup accepts the stack and traffic reaches the service, checked 2xx', async () => {
    const run = await runOnShim('api-outage', env, [{ as: '', fn: 'setup' }, ...Array.from({ length: 5 }, () => ({ as: 'traffic_0', fn: 'traffic' }))]);
    expect(run.results.filter((r) => r.error)).toEqual([]);
    expect(run.checks).toEqual({ passes: 5, fails: 0 });
    expect(run.requests.filter((r) => r.url.startsWith(stack.serviceUrls.get('api')!))).toHaveLength(5);
  });

  it('fault steps inject and revert by their planned id, with the run token', async () => {
    const latency = plan.faultCalls.filter((c) => c.fault.kind === 'latency');
    const inject = await runOnShim('api-outage', env, [{ as: latency[0]!.name, fn: 'faultCall' }]);
    expect(inject.results.filter((r) => r.error)).toEqual([]);
    expect(inject.requests.map((r) => [r.method, r.url, r.headers.Authorization])).toEqual([['POST', `${stack.faults.url}/faults`, `Bearer ${stack.faultToken}`]]);
    expect(stack.faults.records().find((r) => r.id === latency[0]!.faultId)?.spec).toEqual(latency[0]!.fault);
    expect(active()).toEqual([latency[0]!.faultId]);
    await runOnShim('api-outage', env, [{ as: latency[1]!.name, fn: 'faultCall' }]);
    expect(active()).toEqual([]);
  });

  it('teardown reverts what is still active when the run is cut short (the API killed mid-scenario is started again)', async () => {
    const kill = plan.faultCalls.find((c) => c.fault.kind === 'kill' && c.action === 'inject')!;
    await runOnShim('api-outage', env, [{ as: kill.name, fn: 'faultCall' }]);
    expect(active()).toEqual([kill.faultId]);
    const after = await runOnShim('api-outage', env, [{ as: '', fn: 'teardown' }, { as: 'traffic_0', fn: 'traffic' }]);
    expect(after.results.filter((r) => r.error)).toEqual([]);
    expect(active()).toEqual([]);
    expect(after.checks).toEqual({ passes: 1, fails: 0 }); // the API answers again
  });

  it('a fault call the controller rejects aborts the test, naming the fault', async () => {
    const run = await runOnShim('api-outage', { ...env, [K6_ENV.faultToken]: 'wrong-token-wrong-token' }, [{ as: plan.faultCalls[0]!.name, fn: 'faultCall' }]);
    expect(run.results[0]!.error).toBe('fault inject latency(api) failed: 401 {"error":"missing or wrong fault token"}');
    expect(active()).toEqual([]);
  });

  it('setup refuses a stack at another scale, saying how to rebuild', async () => {
    const other = await startNativeStack(compileSystem(config.systems[0]!, 10));
    try {
      const run = await runOnShim('api-outage', { ...env, [K6_ENV.faultUrl]: other.faults.url, [K6_ENV.faultToken]: other.faultToken }, [{ as: '', fn: 'setup' }]);
      expect(run.results[0]!.error).toBe(`this script was built for piyasa at scale ${compiled.get('piyasa')!.scale}, the stack runs piyasa at scale 10: rebuild with 'firedrill build --scale 10'`);
    } finally {
      await other.stop();
    }
  });
});

describe('k6 targets', () => {
  const plan = planOf(scenarios.find((s) => s.name === 'api-outage')!);
  const env = { [K6_ENV.targets]: '{"api":"http://127.0.0.1:4000"}', [K6_ENV.faultUrl]: 'http://127.0.0.1:4001', [K6_ENV.faultToken]: 'x'.repeat(32) };

  it('accepts loopback targets', () => {
    expect(parseK6Targets(env, plan).serviceUrls).toEqual({ api: 'http://127.0.0.1:4000' });
  });

  it('refuses any target that is not 127.0.0.1, naming the variable', () => {
    expect(() => parseK6Targets({ ...env, [K6_ENV.targets]: '{"api":"http://10.0.0.5:80"}' }, plan)).toThrow(
      'api-outage: FIREDRILL_TARGETS.api=http://10.0.0.5:80 refused: firedrill sends load and faults only to http://127.0.0.1:<port>',
    );
    expect(() => parseK6Targets({ ...env, [K6_ENV.faultUrl]: 'http://localhost.evil.com:1' }, plan)).toThrow(/FIREDRILL_FAULT_URL=.* refused/);
  });

  it('says how to get the variables when they are missing', () => {
    expect(() => parseK6Targets({}, plan)).toThrow("api-outage: FIREDRILL_TARGETS is not set; start a stack with 'npx firedrill up' and pass the -e flags it prints");
  });
});

describe('engine choice', () => {
  it('auto picks the builtin engine when no k6 binary is found, and --engine k6 then refuses with what to do', () => {
    const noK6 = { PATH: '/nonexistent' };
    expect(chooseEngine('auto', noK6).name).toBe('builtin');
    expect(() => chooseEngine('k6', noK6)).toThrow('--engine k6: no k6 binary found; put k6 on PATH or set K6_BIN, or use --engine builtin');
  });

  it.skipIf(!findK6())('runs metrics-endpoint-broken with the real k6 binary and reports the same summary shape', async () => {
    const scenario = scenarios.find((s) => s.name === 'metrics-endpoint-broken')!;
    const stack = await startNativeStack(compiled.get('piyasa')!);
    try {
      const summary = await new K6Engine(findK6()!).run(planOf(scenario), { serviceUrls: Object.fromEntries(stack.serviceUrls), faults: { url: stack.faults.url, token: stack.faultToken } }, { signal: new AbortController().signal, live: { requests: 0, failures: 0 } });
      expect(summary.requests).toBeGreaterThan(0);
      expect(summary.statuses['200']).toBeGreaterThan(0);
      expect(summary.thresholds).toEqual([expect.objectContaining({ stream: 'traffic_0', ok: true })]);
      expect(stack.faults.records().map((r) => r.spec.kind)).toEqual(['metrics_failure']);
    } finally {
      await stack.stop();
    }
  });
});

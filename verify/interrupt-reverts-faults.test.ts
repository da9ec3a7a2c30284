// Ctrl-C in the middle of a scenario: every fault is reverted before control returns, so the
// services are healthy again (app faults cleared, killed or paused processes back, scraped up).
// The CLI side (exit 130, no process left behind) is in cli.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { BuiltinEngine } from '../src/engine/builtin-engine.ts';
import { fault } from '../src/faults/fault-spec.ts';
import { getJson, httpJson } from '../src/observe/http-json.ts';
import { PrometheusClient } from '../src/observe/prometheus-client.ts';
import type { Scenario } from '../src/scenario/define-scenario.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';
import type { StartedStack } from '../src/stack/started-stack.ts';
import { waitFor } from '../src/stack/wait-for.ts';

const drill: Scenario = {
  name: 'interrupted',
  system: 'piyasa',
  duration: '20m',
  traffic: [{ service: 'api', rps: 10, requests: [{ method: 'GET', path: '/api/bots' }] }],
  faults: [
    { at: '0s', fault: fault.latency('api', '300ms') },
    { at: '0s', fault: fault.errorRatio('api', 0.5) },
    { at: '0s', fault: fault.stall('worker') },
    { at: '0s', fault: fault.circuitBreaker('worker', 'openai_api') },
    { at: '30s', fault: fault.pause('worker') },
    { at: '30s', fault: fault.kill('api') },
  ],
  expect: [{ kind: 'doesNotFire', alert: 'APIDown' }],
};

describe('a scenario interrupted while faults are active', () => {
  let stack: StartedStack;
  let interruptedWith: unknown;
  beforeAll(async () => {
    const config = await loadConfig('firedrill.config.ts');
    stack = await startNativeStack(compileSystem(config.systems[0]!, 'auto'));
    const ctrlC = new AbortController();
    const running = runScenario(stack, drill, { engine: new BuiltinEngine(), signal: ctrlC.signal });
    await waitFor(
      'all six faults to be active',
      async () => {
        const active = stack.faults.records().filter((r) => r.revertedAtMs === null).length;
        return active === drill.faults.length ? { value: true, seen: `${active} active` } : { seen: `${active} active` };
      },
      { timeoutMs: 30_000, pollMs: 100 },
    );
    ctrlC.abort();
    interruptedWith = await running.catch((error: unknown) => error);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stops with an error that says it was interrupted', () => {
    expect(String(interruptedWith)).toContain('scenario interrupted interrupted');
  });

  it('has reverted every fault by the time it returns', () => {
    expect(stack.faults.records().filter((r) => r.revertedAtMs === null)).toEqual([]);
  });

  it('leaves no app fault active in any service', async () => {
    for (const [name, url] of stack.serviceUrls) {
      const listed = await httpJson<{ active: unknown[] }>('GET', `${url}/__fault`, { headers: { authorization: `Bearer ${stack.faultToken}` } });
      expect([listed.status, listed.body], name).toEqual([200, { active: [] }]);
    }
  });

  it('leaves both services running and scraped as up', async () => {
    const prometheus = new PrometheusClient(stack.prometheusUrl);
    const ups = await waitFor(
      'every target up again',
      async () => {
        const targets = await prometheus.targets();
        const seen = targets.map((t) => `${t.job}=${t.health}`).join(', ');
        return targets.length > 0 && targets.every((t) => t.health === 'up') ? { value: targets.length, seen } : { seen };
      },
      { timeoutMs: 10 * stack.compiled.scrapeIntervalMs + 5_000, pollMs: stack.compiled.scrapeIntervalMs },
    );
    expect(ups).toBe(2);
    const bots = await getJson<{ bots: unknown[] }>(`${stack.serviceUrls.get('api')}/api/bots`);
    expect(bots.bots.length).toBeGreaterThan(0);
  });
});

// The warm-up before Prometheus' first scrape (src/engine/warm-up.ts), end to end with a real
// Prometheus: a service whose first 30 requests take 1.2 s (verify/cold-start/service.mjs) runs a
// healthy drill whose p95 alert must not fire. With the warm-up the slow requests are counted
// before the first scrape and no rate window holds them; without it the same drill fails, which
// is what THE_BOT's healthy drills did in CI on a busy machine.
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { BuiltinEngine } from '../src/engine/builtin-engine.ts';
import { warmUp } from '../src/engine/warm-up.ts';
import { expectAlert } from '../src/expect/expectation.ts';
import { PrometheusClient } from '../src/observe/prometheus-client.ts';
import type { Scenario } from '../src/scenario/define-scenario.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';

const drill: Scenario = {
  name: 'cold-start-baseline',
  system: 'coldstart',
  duration: '6m',
  traffic: [{ service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }] }],
  faults: [],
  expect: [expectAlert('SlowRequests').toNotFire()],
};

describe('the warm-up before Prometheus first scrapes', () => {
  it("keeps a fresh service's slow first requests out of every rate window; the same healthy drill fails without it", async () => {
    const config = await loadConfig('verify/cold-start/firedrill.config.ts');
    const compiled = compileSystem(config.systems[0]!, 'auto');
    const drillOn = async (warm: boolean) => {
      await using stack = await startNativeStack(compiled, warm ? { warmUp: (urls, signal) => warmUp(drill.traffic, urls, signal) } : {});
      const result = await runScenario(stack, drill, { engine: new BuiltinEngine() });
      // The service's request count at Prometheus' first sample of it: what it served before any scrape.
      const [first] = await new PrometheusClient(stack.prometheusUrl).instant('min_over_time(api_request_seconds_count[1h])', Date.now());
      return { result, countedBeforeFirstScrape: Number(first?.value[1]) };
    };
    const [cold, warm] = await Promise.all([drillOn(false), drillOn(true)]);

    expect(cold.countedBeforeFirstScrape).toBe(0);
    expect(cold.result.expectations.filter((e) => !e.ok).map((e) => e.alert)).toEqual(['SlowRequests']);

    expect(warm.countedBeforeFirstScrape).toBeGreaterThanOrEqual(30);
    expect(warm.result.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(warm.result.alerts.find((a) => a.alertname === 'SlowRequests')?.episodes ?? []).toEqual([]);
  }, 90_000);
});

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
import { DISCOVERY_THROTTLE_MS, startNativeStack } from '../src/stack/native-stack.ts';
import { waitFor } from '../src/stack/wait-for.ts';

const drill: Scenario = {
  name: 'cold-start-baseline',
  system: 'coldstart',
  duration: '6m',
  traffic: [{ service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }] }],
  faults: [],
  expect: [expectAlert('SlowRequests').toNotFire()],
};

const coldStartSystem = async () => compileSystem((await loadConfig('verify/cold-start/firedrill.config.ts')).systems[0]!, 'auto');

describe('the warm-up before Prometheus first scrapes', () => {
  it("keeps a fresh service's slow first requests out of every rate window; the same healthy drill fails without it", async () => {
    const compiled = await coldStartSystem();
    const drillOn = async (warm: boolean) => {
      await using stack = await startNativeStack(compiled, warm ? { warmUp: (urls, signal) => warmUp(drill.traffic, urls, signal) } : {});
      const { result } = await runScenario(stack, drill, { engine: new BuiltinEngine() });
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

  // Prometheus starts beside the warm-up and learns its targets when it ends. A warm-up that
  // outlasts Prometheus' discovery tick shows the order: were the targets in prometheus.yml from
  // the start, the first scrape would come at the tick, with part of the warm-up still to come.
  it('holds back the first scrape until a warm-up longer than the discovery tick is over', async () => {
    const compiled = await coldStartSystem();
    const longWarmUp = async (urls: ReadonlyMap<string, string>, signal: AbortSignal) => {
      const started = Date.now();
      while (Date.now() - started < DISCOVERY_THROTTLE_MS + 1_000) await warmUp(drill.traffic, urls, signal);
    };
    await using stack = await startNativeStack(compiled, { warmUp: longWarmUp });
    const prometheus = new PrometheusClient(stack.prometheusUrl);
    const sampleOf = async (query: string) => Number((await prometheus.instant(query, Date.now()))[0]?.value[1] ?? Number.NaN);
    // Two scrapes at least, so that a first one taken mid-warm-up would differ from the last.
    await waitFor(
      'a second scrape of the service',
      async () => {
        const scrapes = await sampleOf('count_over_time(api_request_seconds_count[1h])');
        return scrapes >= 2 ? { value: true, seen: '' } : { seen: `${scrapes} scrapes` };
      },
      { timeoutMs: 20 * compiled.scrapeIntervalMs + 10_000, pollMs: compiled.scrapeIntervalMs },
    );
    const first = await sampleOf('min_over_time(api_request_seconds_count[1h])');
    const last = await sampleOf('max_over_time(api_request_seconds_count[1h])');
    // More than the cold requests: the warm-up ran on past them, and every request was in the first scrape.
    expect(first).toBeGreaterThan(30);
    expect(first).toBe(last);
  }, 90_000);
});

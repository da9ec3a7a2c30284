import { performance } from 'node:perf_hooks';
import { abortableDelay, playFaultCalls } from '../faults/play-fault-calls.ts';
import type { ScenarioPlan } from '../scenario/scenario-plan.ts';
import type { DrillEngine, DrillRunOptions, DrillTargets } from './drill-engine.ts';
import { assertLoopback } from './loopback.ts';
import type { StreamsTally } from './paced-stream.ts';
import { loadTrafficHelper, sendTraffic } from './traffic-helper.ts';
import { okRatioThreshold, percentile, type ThresholdResult, type TrafficSummary } from './traffic.ts';

/** firedrill's own open-model pacer (undici) in its traffic process: arrivals follow the clock, not the responses. */
export class BuiltinEngine implements DrillEngine {
  readonly name = 'builtin';

  async run(plan: ScenarioPlan, targets: DrillTargets, options: DrillRunOptions): Promise<TrafficSummary> {
    const streams = plan.streams.map((stream) => ({ stream, baseUrl: targets.serviceUrls[stream.service]! }));
    for (const url of [...streams.map((s) => s.baseUrl), targets.faults.url]) assertLoopback(url);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    // Listening before the helper loads: an abort meanwhile (Ctrl-C, a stack that died) ends the drill at once.
    options.signal.addEventListener('abort', onAbort, { once: true });
    if (options.signal.aborted) stop.abort();
    // Whatever part fails ends the others: no fault is injected after the drill gave up.
    const endAllOnFailure = (error: unknown): never => {
      stop.abort();
      throw error;
    };
    let tally: StreamsTally;
    let startedAt: number;
    try {
      await loadTrafficHelper(); // before the clock starts: the first arrivals do not wait for it
      const startedAtMs = Date.now();
      startedAt = performance.now();
      const durationMs = plan.durationS * 1000;
      [tally] = await Promise.all([
        sendTraffic(streams, { durationMs, startedAtMs }, stop.signal, options.live).catch(endAllOnFailure),
        playFaultCalls(plan.faultCalls, targets.faults, startedAtMs, stop.signal).catch(endAllOnFailure),
        abortableDelay(durationMs, stop.signal), // the timeline lasts its duration, traffic or not
      ]);
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
    const elapsedS = (performance.now() - startedAt) / 1000;
    const { statuses, perStream, dropped } = tally;
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    const latencies = tally.latenciesMs.sort((a, b) => a - b);
    return {
      requests,
      achievedRps: Math.round((requests / Math.max(elapsedS, 0.001)) * 10) / 10,
      statuses,
      dropped,
      checkFailures: Object.entries(statuses).filter(([status]) => !status.startsWith('2')).reduce((n, [, c]) => n + c, 0),
      latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
      thresholds: plan.streams.flatMap((stream, i): ThresholdResult[] => {
        if (stream.minOkRatio === undefined) return [];
        const { ok, total } = perStream[i]!;
        const observed = total === 0 ? 0 : ok / total;
        return [{ stream: stream.name, expression: okRatioThreshold(stream.minOkRatio), observed: Math.round(observed * 10_000) / 10_000, ok: observed >= stream.minOkRatio }];
      }),
    };
  }
}

import { performance } from 'node:perf_hooks';
import { abortableDelay, playFaultCalls } from '../faults/play-fault-calls.ts';
import type { ScenarioPlan } from '../scenario/scenario-plan.ts';
import type { DrillEngine, DrillRunOptions, DrillTargets } from './drill-engine.ts';
import { assertLoopback } from './loopback.ts';
import { runStream } from './paced-stream.ts';
import { okRatioThreshold, percentile, type ThresholdResult, type TrafficSummary } from './traffic.ts';

interface StreamTally {
  ok: number;
  total: number;
}

/** firedrill's own open-model pacer (undici): arrivals follow the clock, not the responses. */
export class BuiltinEngine implements DrillEngine {
  readonly name = 'builtin';

  async run(plan: ScenarioPlan, targets: DrillTargets, options: DrillRunOptions): Promise<TrafficSummary> {
    const urls = plan.streams.map((s) => targets.serviceUrls[s.service]!);
    for (const url of [...urls, targets.faults.url]) assertLoopback(url);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const tallies = plan.streams.map((): StreamTally => ({ ok: 0, total: 0 }));
    let dropped = 0;
    const startedAtMs = Date.now();
    const startedAt = performance.now();
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all([
        ...plan.streams.map((stream, i) =>
          runStream(stream, urls[i]!, plan.durationS * 1000, stop.signal, (status, latencyMs) => {
            const ok = status.startsWith('2');
            statuses[status] = (statuses[status] ?? 0) + 1;
            tallies[i]!.total += 1;
            if (ok) tallies[i]!.ok += 1;
            options.live.requests += 1;
            if (!ok) options.live.failures += 1;
            if (latencyMs !== undefined) latencies.push(latencyMs);
          }, () => (dropped += 1)),
        ),
        playFaultCalls(plan.faultCalls, targets.faults, startedAtMs, stop.signal).catch((error: unknown) => {
          stop.abort(); // a fault that cannot be injected makes the rest of the drill meaningless
          throw error;
        }),
        abortableDelay(plan.durationS * 1000, stop.signal), // the timeline lasts its duration, traffic or not
      ]);
    } finally {
      options.signal.removeEventListener('abort', onAbort);
    }
    const elapsedS = (performance.now() - startedAt) / 1000;
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    latencies.sort((a, b) => a - b);
    return {
      requests,
      achievedRps: Math.round((requests / Math.max(elapsedS, 0.001)) * 10) / 10,
      statuses,
      dropped,
      checkFailures: Object.entries(statuses).filter(([status]) => !status.startsWith('2')).reduce((n, [, c]) => n + c, 0),
      latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
      thresholds: plan.streams.flatMap((stream, i): ThresholdResult[] => {
        if (stream.minOkRatio === undefined) return [];
        const observed = tallies[i]!.total === 0 ? 0 : tallies[i]!.ok / tallies[i]!.total;
        return [{ stream: stream.name, expression: okRatioThreshold(stream.minOkRatio), observed: Math.round(observed * 10_000) / 10_000, ok: observed >= stream.minOkRatio }];
      }),
    };
  }
}

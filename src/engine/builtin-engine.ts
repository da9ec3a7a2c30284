import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { abortableDelay, playFaultCalls } from '../faults/play-fault-calls.ts';
import { arrivalsBy, rateAt, type PlannedStream, type ScenarioPlan } from '../scenario/scenario-plan.ts';
import type { DrillEngine, DrillRunOptions, DrillTargets } from './drill-engine.ts';
import { assertLoopback } from './loopback.ts';
import { okRatioThreshold, percentile, type RequestSpec, type ThresholdResult, type TrafficSummary } from './traffic.ts';

/** Beyond this many requests in flight per stream, arrivals are dropped and counted, never queued. */
const MAX_IN_FLIGHT = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** Arrivals scheduled per timer wake-up at most: bounds catch-up after the event loop stalls. */
const MAX_BURST = 50;
/** Longest sleep between arrival checks, so a ramp's rising rate is followed closely. */
const MAX_TICK_MS = 50;

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

async function runStream(
  stream: PlannedStream,
  baseUrl: string,
  durationMs: number,
  signal: AbortSignal,
  record: (status: string, latencyMs?: number) => void,
  drop: () => void,
): Promise<void> {
  const pool = new Pool(baseUrl, { connections: 64, pipelining: 1 });
  const pick = weightedPicker(stream.requests);
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  try {
    while (!signal.aborted) {
      const nowMs = performance.now() - start;
      if (nowMs >= durationMs) break;
      const due = Math.min(Math.floor(arrivalsBy(stream, nowMs / 1000)) + 1, sent + MAX_BURST);
      for (; sent < due; sent++) {
        if (inFlight.size >= MAX_IN_FLIGHT) {
          drop();
          continue;
        }
        const request = send(pool, pick(), record);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
      const rate = Math.max(rateAt(stream, nowMs / 1000), 0.1);
      const sleepMs = Math.min(1000 / rate, MAX_TICK_MS, durationMs - (performance.now() - start));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, sleepMs)));
    }
    await Promise.all(inFlight);
  } finally {
    await pool.destroy();
  }
}

async function send(pool: Pool, spec: RequestSpec, record: (status: string, latencyMs?: number) => void): Promise<void> {
  const began = performance.now();
  try {
    const response = await pool.request({
      method: spec.method,
      path: spec.path,
      body: spec.body,
      headers: spec.body ? { 'content-type': 'application/json' } : undefined,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    });
    await response.body.dump();
    record(String(response.statusCode), performance.now() - began);
  } catch {
    record('0');
  }
}

function weightedPicker(requests: readonly RequestSpec[]): () => RequestSpec {
  const total = requests.reduce((n, r) => n + (r.weight ?? 1), 0);
  return () => {
    let roll = Math.random() * total;
    for (const r of requests) {
      roll -= r.weight ?? 1;
      if (roll < 0) return r;
    }
    return requests[requests.length - 1]!;
  };
}

import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { assertLoopback } from './loopback.ts';
import { percentile, type RequestSpec, type ResolvedStream, type TrafficEngine, type TrafficSummary } from './traffic.ts';

/** Beyond this many requests in flight per stream, arrivals are dropped and counted, never queued. */
const MAX_IN_FLIGHT = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** Arrivals scheduled per timer wake-up at most: bounds catch-up after the event loop stalls. */
const MAX_BURST = 50;

/** firedrill's own open-model request pacer (undici): arrivals follow the clock, not the responses. */
export class BuiltinEngine implements TrafficEngine {
  readonly name = 'builtin';

  async run(streams: readonly ResolvedStream[], durationMs: number, signal: AbortSignal): Promise<TrafficSummary> {
    for (const stream of streams) assertLoopback(stream.baseUrl);
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let dropped = 0;
    const startedAt = performance.now();
    await Promise.all(
      streams.map((stream) =>
        runStream(stream, durationMs, signal, (status, latencyMs) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (latencyMs !== undefined) latencies.push(latencyMs);
        }, () => (dropped += 1)),
      ),
    );
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
    };
  }
}

async function runStream(
  stream: ResolvedStream,
  durationMs: number,
  signal: AbortSignal,
  record: (status: string, latencyMs?: number) => void,
  drop: () => void,
): Promise<void> {
  const pool = new Pool(stream.baseUrl, { connections: 64, pipelining: 1 });
  const pick = weightedPicker(stream.requests);
  const intervalMs = 1000 / stream.rps;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  try {
    while (!signal.aborted) {
      const now = performance.now() - start;
      if (now >= durationMs) break;
      const due = Math.min(Math.floor(now / intervalMs) + 1, sent + MAX_BURST);
      for (; sent < due; sent++) {
        if (inFlight.size >= MAX_IN_FLIGHT) {
          drop();
          continue;
        }
        const request = send(pool, pick(), record);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
      const nextAt = sent * intervalMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(nextAt, durationMs) - (performance.now() - start))));
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

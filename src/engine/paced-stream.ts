import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { arrivalsBy, rateAt, type PlannedStream } from '../scenario/scenario-plan.ts';
import type { RequestSpec } from './traffic.ts';

// firedrill's own open-model pacer (undici): arrivals follow the clock, not the responses. The
// builtin engine's traffic, and the warm-up every drill's services get before Prometheus scrapes them.

/** Beyond this many requests in flight per stream, arrivals are dropped and counted, never queued. */
const MAX_IN_FLIGHT = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** Arrivals scheduled per timer wake-up at most: bounds catch-up after the event loop stalls. */
const MAX_BURST = 50;
/** Longest sleep between arrival checks, so a ramp's rising rate is followed closely. */
const MAX_TICK_MS = 50;

/** Sends one stream's arrivals to `baseUrl` until `durationMs` or `signal`, then waits for those in flight. */
export async function runStream(
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

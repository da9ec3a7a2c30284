import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { arrivalsBy, rateAt, type PlannedStream } from '../scenario/scenario-plan.ts';
import type { RequestSpec } from './traffic.ts';

// firedrill's own open-model pacer (undici): arrivals follow the clock, not the responses. The
// builtin engine's traffic, the warm-up every drill's services get before Prometheus scrapes them,
// and populate's recording. It runs in the traffic process (traffic-helper.ts), whose event loop
// does nothing else.

/** Beyond this many requests in flight per stream, arrivals are dropped and counted, never queued. */
const MAX_IN_FLIGHT = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** Arrivals scheduled per timer wake-up at most: bounds catch-up after the event loop stalls. */
const MAX_BURST = 50;
/** Longest sleep between arrival checks, so a ramp's rising rate is followed closely. */
const MAX_TICK_MS = 50;

/** One stream and the service URL its requests go to. */
export interface StreamTarget {
  readonly stream: PlannedStream;
  readonly baseUrl: string;
}

/** When and for how long streams run. */
export interface StreamClock {
  /** From the start of the streams' timeline. */
  readonly durationMs: number;
  /**
   * The timeline's start (epoch ms) when it began before the streams were handed over (the engine's
   * clock, started in another process): arrivals due before they could be sent are dropped, not
   * sent at once, and the streams end with the timeline. Unset: the timeline starts now.
   */
  readonly startedAtMs?: number;
}

/** What streams got, per stream and in all. Status "0" is a request that got no HTTP response. */
export interface StreamsTally {
  readonly perStream: { ok: number; total: number }[];
  readonly statuses: Record<string, number>;
  /** One per HTTP response, unsorted. */
  readonly latenciesMs: number[];
  /** Arrivals not sent: too many requests in flight, or due before the streams got the timeline. */
  readonly dropped: number;
}

/** Runs every stream at once and tallies the answers; `counted` hears of each as it comes. */
export async function runStreams(targets: readonly StreamTarget[], clock: StreamClock, signal: AbortSignal, counted: (ok: boolean) => void = () => undefined): Promise<StreamsTally> {
  const tally: { -readonly [K in keyof StreamsTally]: StreamsTally[K] } = { perStream: targets.map(() => ({ ok: 0, total: 0 })), statuses: {}, latenciesMs: [], dropped: 0 };
  await Promise.all(
    targets.map(({ stream, baseUrl }, i) =>
      runStream(stream, baseUrl, clock, signal, (status, latencyMs) => {
        const ok = status.startsWith('2');
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        tally.perStream[i]!.total += 1;
        if (ok) tally.perStream[i]!.ok += 1;
        if (latencyMs !== undefined) tally.latenciesMs.push(latencyMs);
        counted(ok);
      }, (n) => (tally.dropped += n)),
    ),
  );
  return tally;
}

/** Sends one stream's arrivals to `baseUrl` until the clock's end or `signal`, then waits for those in flight. */
async function runStream(
  stream: PlannedStream,
  baseUrl: string,
  clock: StreamClock,
  signal: AbortSignal,
  record: (status: string, latencyMs?: number) => void,
  drop: (n: number) => void,
): Promise<void> {
  const { durationMs } = clock;
  const pool = new Pool(baseUrl, { connections: 64, pipelining: 1 });
  const pick = weightedPicker(stream.requests);
  const lateMs = clock.startedAtMs === undefined ? 0 : Math.max(0, Date.now() - clock.startedAtMs);
  const start = performance.now() - lateMs;
  const inFlight = new Set<Promise<void>>();
  // Arrival k is due once arrivalsBy reaches k: of those due when the stream got its timeline, the
  // latest is sent now, the ones before it are dropped.
  let sent = lateMs > 0 ? Math.floor(arrivalsBy(stream, Math.min(lateMs, durationMs) / 1000)) : 0;
  drop(sent);
  try {
    while (!signal.aborted) {
      const nowMs = performance.now() - start;
      if (nowMs >= durationMs) break;
      const due = Math.min(Math.floor(arrivalsBy(stream, nowMs / 1000)) + 1, sent + MAX_BURST);
      for (; sent < due; sent++) {
        if (inFlight.size >= MAX_IN_FLIGHT) {
          drop(1);
          continue;
        }
        const request = send(pool, pick(), record);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
      // Wake when the next arrival is due (exact at a steady rate; on a ramp MAX_TICK_MS bounds
      // the error), not a whole interarrival time later: sleeping 1/rate made arrivals up to one
      // interval late, 10 ms at the median at 50 rps.
      const afterMs = performance.now() - start;
      const rate = Math.max(rateAt(stream, afterMs / 1000), 0.1);
      const untilNextMs = ((sent - arrivalsBy(stream, afterMs / 1000)) * 1000) / rate;
      const sleepMs = Math.min(untilNextMs, MAX_TICK_MS, durationMs - afterMs);
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

/** One weighted request of a traffic mix. */
export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly weight?: number;
  readonly body?: string;
}

/** An open-model arrival stream against one service; rates are requests per wall second. */
export interface TrafficStream {
  readonly service: string;
  readonly rps: number;
  readonly requests: readonly RequestSpec[];
}

export interface ResolvedStream extends TrafficStream {
  readonly baseUrl: string;
}

/** The same shape from every engine. Status "0" counts requests that got no HTTP response, as in k6. */
export interface TrafficSummary {
  requests: number;
  achievedRps: number;
  statuses: Record<string, number>;
  /** Requests not sent because too many were already in flight (k6: dropped_iterations). */
  dropped: number;
  /** Responses that were not 2xx. */
  checkFailures: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

export interface TrafficEngine {
  readonly name: 'builtin' | 'k6';
  /** Runs the streams for `durationMs` of wall time, or until `signal` aborts. */
  run(streams: readonly ResolvedStream[], durationMs: number, signal: AbortSignal): Promise<TrafficSummary>;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[index]! * 10) / 10;
}

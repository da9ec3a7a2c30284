/** One weighted request of a traffic mix. */
export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly weight?: number;
  readonly body?: string;
}

/** A change of arrival rate: linear from the rate before it to `rps`, over `over` of rule time. */
export interface RampStage {
  readonly over: string;
  readonly rps: number;
}

/** An open-model arrival stream against one service; rates are requests per wall second. */
export interface TrafficStream {
  readonly service: string;
  /** Arrival rate at the start (and throughout, without `ramp`). */
  readonly rps: number;
  /** Rate changes in order; after the last stage its rate holds to the scenario's end. */
  readonly ramp?: readonly RampStage[];
  readonly requests: readonly RequestSpec[];
  /**
   * Threshold on the traffic check "answered 2xx", as a share of this stream's requests over the
   * whole scenario. Unset: no threshold (traffic through a faulted service is expected to fail).
   */
  readonly minOkRatio?: number;
}

/** A traffic threshold's outcome, the same from both engines. */
export interface ThresholdResult {
  readonly stream: string;
  readonly expression: string;
  readonly observed: number;
  readonly ok: boolean;
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
  thresholds: ThresholdResult[];
}

/** Counters an engine keeps current while it runs, for live progress. */
export interface LiveTraffic {
  requests: number;
  failures: number;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[index]! * 10) / 10;
}

export function okRatioThreshold(minOkRatio: number): string {
  return `rate>=${minOkRatio}`;
}

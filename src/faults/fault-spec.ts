import { parseDurationMs } from '../duration.ts';

/**
 * Process-level fault kinds, carried out by firedrill on the process (and its children) of a
 * service, an exporter or a managed dependency.
 */
export const PROCESS_FAULT_KINDS = ['kill', 'stop', 'pause', 'restart'] as const;
export type ProcessFaultKind = (typeof PROCESS_FAULT_KINDS)[number];

/** Scrape-path fault kinds: the target's scrape passes through firedrill, which spoils it. */
export const SCRAPE_FAULT_KINDS = ['scrape_timeout', 'scrape_error', 'scrape_drop'] as const;
export type ScrapeFaultKind = (typeof SCRAPE_FAULT_KINDS)[number];

/** A fault as plain data: which service, what kind, and the kind's parameters. */
export interface FaultSpec {
  readonly target: string;
  readonly kind: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export function isProcessFault(kind: string): kind is ProcessFaultKind {
  return (PROCESS_FAULT_KINDS as readonly string[]).includes(kind);
}

export function isScrapeFault(kind: string): kind is ScrapeFaultKind {
  return (SCRAPE_FAULT_KINDS as readonly string[]).includes(kind);
}

type Params = Record<string, string | number | boolean>;
const withOptional = (params: Params, optional: Record<string, string | number | boolean | undefined>): Params => {
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) params[key] = value;
  return params;
};

/**
 * Front door for the fault catalogue.
 * @example fault.latency('api', '800ms'); fault.kill('api')
 */
export const fault = {
  // Process level: services, exporters and managed dependencies (PostgreSQL, Redis), with their child processes.
  /** SIGKILL the process and its children (a crash); reverting starts it again on the same port. */
  kill: (target: string): FaultSpec => ({ target, kind: 'kill' }),
  /** A clean shutdown (SIGTERM; PostgreSQL's fast shutdown); reverting starts it again on the same port. */
  stop: (target: string): FaultSpec => ({ target, kind: 'stop' }),
  /** SIGSTOP the process and its children so scrapes, requests and queries hang; reverting sends SIGCONT. */
  pause: (target: string): FaultSpec => ({ target, kind: 'pause' }),
  /**
   * SIGKILL, stay down for `gap` (rule time; default two scrape intervals of the service's job, so
   * that Prometheus sees `up` at 0 as it would during a real restart), then start again; nothing to revert.
   */
  restart: (target: string, options: { gap?: string } = {}): FaultSpec => ({ target, kind: 'restart', ...(options.gap === undefined ? {} : { params: { gap: options.gap } }) }),

  // Containers: a service declared by `compose:` (its process faults above act on the container).
  /** Takes the container off every network it is on (a partition); reverting connects it again. */
  disconnect: (target: string): FaultSpec => ({ target, kind: 'disconnect' }),

  // Dependency proxy: network faults between services and a dependency (wall time, never scaled).
  // `latency` also works on a cooperating service, through its fault endpoint.
  /**
   * On a dependency: delays every chunk both ways by `added` (± `jitter`) on a share `ratio` of
   * connections (HTTP: requests). On a cooperating service: adds latency to every request it handles.
   */
  latency: (target: string, added: string, options: { jitter?: string; ratio?: number } = {}): FaultSpec => ({
    target,
    kind: 'latency',
    params: withOptional({ ms: parseDurationMs(added, `fault.latency('${target}')`) }, {
      jitterMs: options.jitter === undefined ? undefined : parseDurationMs(options.jitter, `fault.latency('${target}') jitter`),
      ratio: options.ratio,
    }),
  }),
  /** A blackhole: connections to the dependency stay open and nothing passes (a share `ratio` of them, default all). */
  timeout: (target: string, ratio?: number): FaultSpec => ({ target, kind: 'timeout', params: withOptional({}, { ratio }) }),
  /** Resets (TCP RST) a share `ratio` (default all) of the connections to the dependency, open and new. */
  reset: (target: string, ratio?: number): FaultSpec => ({ target, kind: 'reset', params: withOptional({}, { ratio }) }),
  /** Connections to the dependency are refused. */
  refuse: (target: string): FaultSpec => ({ target, kind: 'refuse', params: {} }),
  /** Throttles each direction to `bytesPerSecond`. */
  bandwidth: (target: string, bytesPerSecond: number): FaultSpec => ({ target, kind: 'bandwidth', params: { bytesPerSecond } }),
  /** An HTTP dependency answers `status` to a share `ratio` (default all) of requests. */
  httpStatus: (target: string, status: number, ratio?: number): FaultSpec => ({ target, kind: 'http_status', params: withOptional({ status }, { ratio }) }),

  // Scrape path: the target's /metrics, spoiled between it and Prometheus without its help.
  /** Scrapes of the target hang until Prometheus gives up: `up` reads 0 while the target works. */
  scrapeTimeout: (target: string): FaultSpec => ({ target, kind: 'scrape_timeout', params: {} }),
  /** Scrapes of the target answer `status` (default 500). */
  scrapeError: (target: string, status?: number): FaultSpec => ({ target, kind: 'scrape_error', params: withOptional({}, { status }) }),
  /** Scrapes of the target lose the metric `family` (all its series), as a broken instrumentation would. */
  dropMetric: (target: string, family: string): FaultSpec => ({ target, kind: 'scrape_drop', params: { family } }),

  // Simulated host read by node_exporter.
  /** The host's CPUs are `percent` busy. */
  cpu: (host: string, percent: number): FaultSpec => ({ target: host, kind: 'cpu', params: { percent } }),
  /** `percent` of the host's memory is in use (MemAvailable shrinks). */
  memory: (host: string, percent: number): FaultSpec => ({ target: host, kind: 'memory', params: { percent } }),
  /** The host's disk does `opsPerSecond` operations per second. */
  diskIo: (host: string, opsPerSecond: number): FaultSpec => ({ target: host, kind: 'disk_io', params: { opsPerSecond } }),
  /** The host's 1-minute load average is `load1`. */
  load: (host: string, load1: number): FaultSpec => ({ target: host, kind: 'load', params: { load1 } }),
  /** The host's data filesystem is `percent` full. */
  diskFill: (host: string, percent: number): FaultSpec => ({ target: host, kind: 'disk_fill', params: { percent } }),

  // App level, through a cooperating service's token-protected fault endpoint.
  /** Answers a share of requests (optionally of one endpoint) with HTTP 500. */
  errorRatio: (target: string, ratio: number, endpoint?: string): FaultSpec => ({
    target,
    kind: 'error_ratio',
    params: endpoint === undefined ? { ratio } : { ratio, endpoint },
  }),
  /** Holds `connections` of the DB pool, as a leak would. */
  dbPoolInUse: (target: string, connections: number): FaultSpec => ({ target, kind: 'db_pool_in_use', params: { connections } }),
  /** Adds `added` to a share `ratio` (default all) of DB queries. */
  slowQueries: (target: string, added: string, ratio = 1): FaultSpec => ({ target, kind: 'slow_queries', params: { ms: parseDurationMs(added, `fault.slowQueries('${target}')`), ratio } }),
  /** Makes a share of cache lookups miss. */
  cacheMissRatio: (target: string, ratio: number): FaultSpec => ({ target, kind: 'cache_miss_ratio', params: { ratio } }),
  /** Opens the circuit breaker `service` (e.g. openai_api): its calls are rejected. */
  circuitBreaker: (target: string, service: string): FaultSpec => ({ target, kind: 'circuit_breaker', params: { service } }),
  /** Fails a share `ratio` (default all) of LLM calls, of one `provider` or all. */
  llmFailure: (target: string, options: { provider?: string; ratio?: number } = {}): FaultSpec => ({ target, kind: 'llm_failure', params: { ratio: 1, ...options } }),
  /** Telegram answers 429 to a share `ratio` (default all) of sends. */
  telegram429: (target: string, ratio = 1): FaultSpec => ({ target, kind: 'telegram_429', params: { ratio } }),
  /** The worker generates nothing on a share `ratio` (default all) of its ticks. */
  stall: (target: string, ratio = 1): FaultSpec => ({ target, kind: 'stall', params: { ratio } }),
  /** Adds `added` to every message generation. */
  slowGeneration: (target: string, added: string): FaultSpec => ({ target, kind: 'slow_generation', params: { ms: parseDurationMs(added, `fault.slowGeneration('${target}')`) } }),
  /** `/metrics` answers 500, so the scrape fails and `up` drops to 0 while the service works. */
  metricsFailure: (target: string): FaultSpec => ({ target, kind: 'metrics_failure' }),
  /** Any other app-level fault kind the service's fault endpoint knows. */
  app: (target: string, kind: string, params: Record<string, string | number | boolean> = {}): FaultSpec => ({ target, kind, params }),
} as const;

export function describeFault(spec: FaultSpec): string {
  const params = Object.entries(spec.params ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${spec.kind}(${spec.target}${params ? ` ${params}` : ''})`;
}

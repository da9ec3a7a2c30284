import { parseDurationMs } from '../duration.ts';

/** Process-level fault kinds, carried out by the fault controller on the service's process. */
export const PROCESS_FAULT_KINDS = ['kill', 'pause', 'restart'] as const;
export type ProcessFaultKind = (typeof PROCESS_FAULT_KINDS)[number];

/** A fault as plain data: which service, what kind, and the kind's parameters. */
export interface FaultSpec {
  readonly target: string;
  readonly kind: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export function isProcessFault(kind: string): kind is ProcessFaultKind {
  return (PROCESS_FAULT_KINDS as readonly string[]).includes(kind);
}

/**
 * Front door for the fault catalogue.
 * @example fault.latency('api', '800ms'); fault.kill('api')
 */
export const fault = {
  // Process level, carried out by the fault controller.
  /** SIGKILL the service; reverting starts it again on the same port. */
  kill: (target: string): FaultSpec => ({ target, kind: 'kill' }),
  /** SIGSTOP the service so scrapes and requests time out; reverting sends SIGCONT. */
  pause: (target: string): FaultSpec => ({ target, kind: 'pause' }),
  /**
   * SIGKILL, stay down for `gap` (rule time; default two scrape intervals of the service's job, so
   * that Prometheus sees `up` at 0 as it would during a real restart), then start again; nothing to revert.
   */
  restart: (target: string, options: { gap?: string } = {}): FaultSpec => ({ target, kind: 'restart', ...(options.gap === undefined ? {} : { params: { gap: options.gap } }) }),

  // App level, through the service's token-protected fault endpoint.
  /** Adds latency to every request the service handles. */
  latency: (target: string, added: string): FaultSpec => ({ target, kind: 'latency', params: { ms: parseDurationMs(added, `fault.latency('${target}')`) } }),
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

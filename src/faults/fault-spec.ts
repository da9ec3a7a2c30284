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
  /** SIGKILL the service; reverting starts it again on the same port. */
  kill: (target: string): FaultSpec => ({ target, kind: 'kill' }),
  /** SIGSTOP the service so scrapes time out; reverting sends SIGCONT. */
  pause: (target: string): FaultSpec => ({ target, kind: 'pause' }),
  /** Kill and start again at once. */
  restart: (target: string): FaultSpec => ({ target, kind: 'restart' }),
  /** Adds latency to every request the service handles. */
  latency: (target: string, added: string): FaultSpec => ({ target, kind: 'latency', params: { ms: parseDurationMs(added, `fault.latency('${target}')`) } }),
  /** Answers a share of requests (optionally of one endpoint) with HTTP 500. */
  errorRatio: (target: string, ratio: number, endpoint?: string): FaultSpec => ({
    target,
    kind: 'error_ratio',
    params: endpoint === undefined ? { ratio } : { ratio, endpoint },
  }),
  /** Any app-level fault kind the service's fault endpoint knows. */
  app: (target: string, kind: string, params: Record<string, string | number | boolean> = {}): FaultSpec => ({ target, kind, params }),
} as const;

export function describeFault(spec: FaultSpec): string {
  const params = Object.entries(spec.params ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${spec.kind}(${spec.target}${params ? ` ${params}` : ''})`;
}

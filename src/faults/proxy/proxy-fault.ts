/** What a fault proxy speaks: raw bytes (PostgreSQL, Redis) or HTTP requests (an upstream API). */
export type ProxyProtocol = 'tcp' | 'http';

export const TCP_PROXY_FAULT_KINDS = ['latency', 'timeout', 'reset', 'refuse', 'bandwidth'] as const;
export const HTTP_PROXY_FAULT_KINDS = [...TCP_PROXY_FAULT_KINDS, 'http_status'] as const;
export type ProxyFaultKind = (typeof HTTP_PROXY_FAULT_KINDS)[number];

/**
 * A network fault as plain data; `id` names it for its revert.
 * @example { id: 'slow-db', kind: 'latency', params: { ms: 200, jitterMs: 50, ratio: 0.5 } }
 */
export interface ProxyFault {
  readonly id: string;
  readonly kind: ProxyFaultKind;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Sits between a service and one of its dependencies on 127.0.0.1 and injects network faults
 * there. Faults act on what is already in flight as well as on what comes next, because the
 * service's handlers are waiting on the dependency right now. How faults of one kind combine is
 * documented on `ActiveProxyFaults`.
 */
export interface FaultProxy extends AsyncDisposable {
  readonly protocol: ProxyProtocol;
  readonly port: number;
  /** `127.0.0.1:<port>`, what the service is given instead of the dependency's address. */
  readonly address: string;
  inject(fault: ProxyFault): Promise<void>;
  /** Reverts that fault only; the others stay in force. */
  revert(id: string): Promise<void>;
  /** Reverts everything and closes every connection and the listener. */
  stop(): Promise<void>;
}

/** Checks one param's value; returns what is wrong and what to write, or undefined when it is fine. */
type ParamCheck = (value: unknown, params: Readonly<Record<string, unknown>>) => string | undefined;

interface ParamRule {
  readonly required: boolean;
  /** A good value, quoted when the param is missing. */
  readonly example: number;
  readonly check: ParamCheck;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const shown = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

const ratio: ParamRule = {
  required: false,
  example: 0.5,
  check: (v) => (isNumber(v) && v > 0 && v <= 1 ? undefined : `${shown(v)} is not a share in (0, 1]; write e.g. 0.5 for half, or leave it out for all`),
};

const PARAM_RULES: Readonly<Record<ProxyFaultKind, Readonly<Record<string, ParamRule>>>> = {
  latency: {
    ms: { required: true, example: 200, check: (v) => (isNumber(v) && v > 0 ? undefined : `${shown(v)} is not a number of milliseconds > 0; write e.g. 200`) },
    jitterMs: {
      required: false,
      example: 50,
      check: (v, p) => {
        if (!isNumber(v) || v < 0) return `${shown(v)} is not a number of milliseconds >= 0; write e.g. 50`;
        if (isNumber(p.ms) && v > p.ms) return `${v} is more than ms (${p.ms}), so a delay could be negative; write at most ${p.ms}`;
        return undefined;
      },
    },
    ratio,
  },
  timeout: { ratio },
  reset: { ratio },
  refuse: {},
  bandwidth: {
    bytesPerSecond: { required: true, example: 65_536, check: (v) => (isNumber(v) && v > 0 ? undefined : `${shown(v)} is not a rate in bytes per second > 0; write e.g. 65536`) },
  },
  http_status: {
    status: {
      required: true,
      example: 503,
      check: (v) => (Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599 ? undefined : `${shown(v)} is not an HTTP error status; write an integer from 400 to 599, e.g. 503`),
    },
    ratio,
  },
};

/** Problems with a fault's kind and params for a proxy of this protocol, each `params.<name>: what is wrong; what to write`; empty when valid. Used before anything starts. */
export function proxyFaultProblems(protocol: ProxyProtocol, kind: string, params: Readonly<Record<string, unknown>>): string[] {
  const kinds: readonly string[] = protocol === 'tcp' ? TCP_PROXY_FAULT_KINDS : HTTP_PROXY_FAULT_KINDS;
  if (!kinds.includes(kind)) {
    const httpOnly = (HTTP_PROXY_FAULT_KINDS as readonly string[]).includes(kind);
    return [`kind: ${shown(kind)} ${httpOnly ? 'needs an http proxy, this one is tcp' : `is not a fault of the ${protocol} proxy`}; write one of ${kinds.join(', ')}`];
  }
  const rules = PARAM_RULES[kind as ProxyFaultKind];
  const known = Object.keys(rules);
  const problems: string[] = [];
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(rules, name)) problems.push(`params.${name}: not a param of ${kind}; ${known.length > 0 ? `write only ${known.join(', ')}` : 'write params: {}'}`);
  }
  for (const [name, rule] of Object.entries(rules)) {
    const value = params[name];
    if (value === undefined) {
      if (rule.required) problems.push(`params.${name}: missing, ${kind} needs it; write e.g. ${name}: ${rule.example}`);
      continue;
    }
    const problem = rule.check(value, params);
    if (problem !== undefined) problems.push(`params.${name}: ${problem}`);
  }
  return problems;
}

import { proxyFaultProblems, type ProxyFault, type ProxyProtocol } from './proxy-fault.ts';

/**
 * Which faults picked one connection (TCP) or one request (HTTP). A fault with `ratio` draws once
 * per subject, on first asking, so a connection that a latency picked stays slow for its whole
 * life instead of flickering chunk by chunk.
 */
export class FaultDraws {
  readonly #picked = new WeakMap<ProxyFault, boolean>();

  picks(fault: ProxyFault): boolean {
    let picked = this.#picked.get(fault);
    if (picked === undefined) {
      picked = Math.random() < Number(fault.params.ratio ?? 1);
      this.#picked.set(fault, picked);
    }
    return picked;
  }
}

/**
 * The faults in force on one proxy, in inject order, and how faults of one kind combine:
 * - latency: the delays of every latency that picked the subject add up, each with its own jitter;
 * - timeout: the subject is held while any timeout picked it;
 * - reset: the subject is reset when any reset picks it;
 * - refuse: the proxy stays closed while any refuse is in force;
 * - bandwidth: the lowest rate in force wins, as the narrowest link of a path does;
 * - http_status: the newest http_status that picks the request answers it.
 */
export class ActiveProxyFaults {
  // Frozen copies: a draw is keyed by the object, so re-injecting an id later draws afresh.
  readonly #faults: ProxyFault[] = [];

  constructor(private readonly protocol: ProxyProtocol) {}

  /** What stops the fault from being put in force here, each `<field>: what is wrong; what to write`. */
  problemsWith(fault: ProxyFault): string[] {
    const problems = typeof fault.id === 'string' && fault.id !== '' ? [] : [`id: ${JSON.stringify(fault.id)} is not a name; write a non-empty string`];
    if (this.#faults.some((f) => f.id === fault.id)) problems.push(`id: '${fault.id}' is already in force; revert it first or choose another id`);
    return [...problems, ...proxyFaultProblems(this.protocol, fault.kind, fault.params ?? {})];
  }

  /** Puts a fault that `problemsWith` passed in force; returns the stored copy, which draws are keyed by. */
  add(fault: ProxyFault): ProxyFault {
    const stored = Object.freeze({ id: fault.id, kind: fault.kind, params: Object.freeze({ ...fault.params }) });
    this.#faults.push(stored);
    return stored;
  }

  /** Takes the fault out of force; undefined when no fault has that id. */
  remove(id: string): ProxyFault | undefined {
    const index = this.#faults.findIndex((f) => f.id === id);
    return index < 0 ? undefined : this.#faults.splice(index, 1)[0];
  }

  /** Newest last. */
  all(): readonly ProxyFault[] {
    return [...this.#faults];
  }

  /** This chunk's (TCP) or request's (HTTP) added delay; 0 when no latency picked the subject. */
  delayMs(draws: FaultDraws): number {
    return this.#picking('latency', draws).reduce((sum, f) => {
      const jitterMs = Number(f.params.jitterMs ?? 0);
      return sum + Number(f.params.ms) + jitterMs * (2 * Math.random() - 1);
    }, 0);
  }

  /** The rate each direction is throttled to, or undefined when no bandwidth fault is in force. */
  bytesPerSecond(): number | undefined {
    const rates = this.#faults.filter((f) => f.kind === 'bandwidth').map((f) => Number(f.params.bytesPerSecond));
    return rates.length > 0 ? Math.min(...rates) : undefined;
  }

  holds(draws: FaultDraws): boolean {
    return this.#picking('timeout', draws).length > 0;
  }

  resets(draws: FaultDraws): boolean {
    return this.#picking('reset', draws).length > 0;
  }

  refusing(): boolean {
    return this.#faults.some((f) => f.kind === 'refuse');
  }

  /** The http_status fault that answers this request instead of the upstream, if any. */
  answering(draws: FaultDraws): ProxyFault | undefined {
    return this.#picking('http_status', draws).at(-1);
  }

  #picking(kind: ProxyFault['kind'], draws: FaultDraws): ProxyFault[] {
    return this.#faults.filter((f) => f.kind === kind && draws.picks(f));
  }
}

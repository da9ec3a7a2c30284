import { badInput } from '../../errors.ts';
import { ActiveProxyFaults, type FaultDraws } from './active-proxy-faults.ts';
import type { FaultProxy, ProxyFault, ProxyProtocol } from './proxy-fault.ts';
import type { ProxyListener } from './proxy-listener.ts';

/** A connection (TCP) or a request (HTTP) in flight, which faults act on until it is gone. */
export interface FaultSubject {
  readonly draws: FaultDraws;
  /** Resets the client's connection with a TCP RST. */
  reset(): void;
  /** Re-reads the faults in force: throttles and holds change, a blackhole that let go destroys it. */
  refresh(): void;
  destroy(): void;
}

/**
 * What both proxies share: the faults in force, what is in flight, and the listener. The protocol's
 * own part creates subjects, adds them to `inFlight` and removes them when they are done.
 */
export class FaultProxyCore implements FaultProxy {
  readonly faults: ActiveProxyFaults;
  readonly inFlight = new Set<FaultSubject>();
  #stopped = false;

  constructor(
    readonly protocol: ProxyProtocol,
    private readonly listener: ProxyListener,
    /** Releases what the protocol holds besides the listener (an upstream pool). */
    private readonly release: () => Promise<void> = async () => {},
  ) {
    this.faults = new ActiveProxyFaults(protocol);
  }

  get port(): number {
    return this.listener.port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async inject(fault: ProxyFault): Promise<void> {
    const problems = this.#stopped ? ['the proxy is stopped; start a new one'] : this.faults.problemsWith(fault);
    if (problems.length > 0) throw badInput(`${this.protocol} fault proxy ${this.address}: cannot inject fault '${String(fault.id)}' (${String(fault.kind)}): ${problems.join('; ')}`);
    const stored = this.faults.add(fault);
    if (stored.kind === 'reset') {
      for (const subject of [...this.inFlight]) if (subject.draws.picks(stored)) subject.reset();
    }
    if (stored.kind === 'refuse') await this.listener.close();
    this.#refreshAll();
  }

  async revert(id: string): Promise<void> {
    const removed = this.faults.remove(id);
    if (!removed) {
      const inForce = this.faults.all().map((f) => `'${f.id}'`).join(', ') || 'none';
      throw badInput(`${this.protocol} fault proxy ${this.address}: no fault '${id}' in force (in force: ${inForce}); revert only ids that inject accepted`);
    }
    if (removed.kind === 'refuse' && !this.faults.refusing() && !this.#stopped) await this.listener.reopen();
    this.#refreshAll();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const fault of this.faults.all()) this.faults.remove(fault.id);
    await this.listener.stop();
    for (const subject of [...this.inFlight]) subject.destroy();
    await this.release();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #refreshAll(): void {
    for (const subject of [...this.inFlight]) subject.refresh();
  }
}

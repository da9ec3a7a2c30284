import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultDraws, type ActiveProxyFaults } from './active-proxy-faults.ts';
import type { FaultSubject } from './fault-proxy-core.ts';
import { ShapedPipe, type LinkConditions } from './shaped-pipe.ts';

export interface TcpUpstream {
  readonly host: '127.0.0.1';
  readonly port: number;
}

/**
 * One client connection of the TCP fault proxy and its connection to the upstream. It ends the way
 * TCP does: each side closes once both of its directions have ended (a FIN travels like data,
 * delays included); an error on either side tears down both.
 */
export class ProxiedConnection implements FaultSubject {
  readonly draws = new FaultDraws();
  readonly #pipes: ShapedPipe[] = [];
  readonly #waits = new AbortController();
  #upstream: Socket | undefined;
  #connected = false;
  #blackholed = false;
  #gone = false;

  constructor(
    private readonly client: Socket,
    private readonly faults: ActiveProxyFaults,
    private readonly upstreamAddress: TcpUpstream,
    private readonly onGone: () => void,
  ) {
    client.on('error', () => this.destroy());
    client.once('close', () => (this.#connected ? this.#goneIfClosed() : this.destroy()));
  }

  /** Connects to the upstream unless a fault says otherwise; the client is not read until then. */
  async open(): Promise<void> {
    if (this.faults.resets(this.draws)) return this.reset();
    this.refresh();
    // A blackhole swallows the connection set-up too: the dependency never hears of it.
    if (this.#blackholed) return;
    const delayMs = this.faults.delayMs(this.draws);
    // The wait is cut short when the client goes away; the check below sees that.
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: this.#waits.signal }).catch(() => undefined);
    if (this.#gone || this.#blackholed) return;
    const upstream = connect({ ...this.upstreamAddress, allowHalfOpen: true });
    this.#upstream = upstream;
    upstream.on('error', () => (this.#connected ? this.destroy() : undefined));
    upstream.once('close', () => (this.#connected ? this.#goneIfClosed() : this.#closeClient()));
    upstream.once('connect', () => {
      if (this.#gone) return;
      this.#connected = true;
      const conditions: LinkConditions = {
        delayMs: () => this.faults.delayMs(this.draws),
        bytesPerSecond: () => this.faults.bytesPerSecond(),
        held: () => this.#blackholed,
      };
      this.#pipes.push(new ShapedPipe(this.client, upstream, conditions), new ShapedPipe(upstream, this.client, conditions));
    });
  }

  reset(): void {
    if (this.#gone) return;
    const upstream = this.#upstream;
    if (upstream && !upstream.connecting && !upstream.destroyed) upstream.resetAndDestroy();
    if (!this.client.destroyed) this.client.resetAndDestroy();
    this.destroy();
  }

  refresh(): void {
    if (this.#gone) return;
    if (this.faults.holds(this.draws)) this.#blackholed = true;
    // What a blackhole swallowed is lost, so the connection cannot carry on where it stopped.
    else if (this.#blackholed) return this.destroy();
    for (const pipe of this.#pipes) pipe.nudge();
  }

  destroy(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#waits.abort();
    for (const pipe of this.#pipes) pipe.close();
    this.client.destroy();
    this.#upstream?.destroy();
    this.onGone();
  }

  /** The upstream could not be reached: close the client as a proxy does, discarding what it sent. */
  #closeClient(): void {
    if (this.#gone) return;
    this.client.resume();
    this.client.end();
  }

  #goneIfClosed(): void {
    if (this.client.closed && this.#upstream?.closed !== false) this.destroy();
  }
}

import { Worker } from 'node:worker_threads';
import { FiredrillError } from '../../errors.ts';
import { freePort, releasePort } from '../../stack/free-port.ts';
import type { FaultProxy, ProxyFault, ProxyProtocol } from './proxy-fault.ts';
import type { ProxyThreadReply, ProxyThreadRequest } from './proxy-thread-protocol.ts';

// A dependency proxy is on the path of every query a service makes: a statement's bytes wait for
// the proxy's event loop on the way there and back, several times a request. firedrill's main
// thread is busy with everything else (stacks starting, traffic, Prometheus queries, verdicts),
// and its event loop was measured lagging 100 to 650 ms at moments of a gate beside other gates;
// THE_BOT's backend, whose requests cross the proxy five or six times, then showed a p95 of
// 0.4 to 0.9 s with no fault, against DjangoHighLatency's 1 s. So the proxies run in a thread of
// their own, whose event loop does nothing else, and the main thread only asks it to start,
// inject, revert and stop.

/** A port taken between freePort()'s check and the thread's bind is drawn again this many times. */
const BIND_ATTEMPTS = 5;

type Call = ProxyThreadRequest extends infer R ? (R extends ProxyThreadRequest ? Omit<R, 'seq'> : never) : never;

/** The one thread of this process that runs its proxies, started with the first. */
class ProxyThread {
  readonly #worker = new Worker(new URL('./proxy-thread.mjs', import.meta.url));
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #seq = 0;
  #failure: Error | undefined;

  constructor() {
    // The stacks keep the process alive while they run; the thread only while an answer is awaited.
    this.#worker.unref();
    this.#worker.on('message', (reply: ProxyThreadReply) => this.#settle(reply));
    this.#worker.on('error', (error: Error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`it exited with code ${code}`)));
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  call(request: Call): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ ...request, seq });
    });
  }

  #settle(reply: ProxyThreadReply): void {
    const waiting = this.#pending.get(reply.seq);
    if (!waiting) return;
    this.#pending.delete(reply.seq);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) waiting.resolve();
    else waiting.reject(reply.code ? new FiredrillError(reply.code, reply.message) : new Error(reply.message));
  }

  #fail(cause: Error): void {
    this.#failure ??= new FiredrillError('ENVIRONMENT', `firedrill's fault proxy thread stopped (${cause.message}); its proxies are gone, run again`, { cause });
    for (const waiting of this.#pending.values()) waiting.reject(this.#failure);
    this.#pending.clear();
  }
}

let thread: ProxyThread | undefined;
let proxies = 0;

/** A proxy that runs in the proxy thread, as `startTcpFaultProxy` / `startHttpFaultProxy` would in this one. */
class ThreadedFaultProxy implements FaultProxy {
  readonly #id = ++proxies;
  #stopped = false;

  private constructor(
    private readonly thread: ProxyThread,
    readonly protocol: ProxyProtocol,
    readonly port: number,
  ) {}

  static async start(thread: ProxyThread, protocol: ProxyProtocol, upstreamPort: number): Promise<ThreadedFaultProxy> {
    for (let attempt = 1; ; attempt++) {
      const proxy = new ThreadedFaultProxy(thread, protocol, await freePort());
      try {
        await thread.call({ op: 'start', proxy: proxy.#id, protocol, upstreamPort, port: proxy.port });
        return proxy;
      } catch (error) {
        releasePort(proxy.port);
        if (attempt >= BIND_ATTEMPTS || (error as FiredrillError).code !== 'PORT_TAKEN') throw error;
      }
    }
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  inject(fault: ProxyFault): Promise<void> {
    return this.thread.call({ op: 'inject', proxy: this.#id, fault: { id: fault.id, kind: fault.kind, params: { ...fault.params } } });
  }

  revert(id: string): Promise<void> {
    return this.thread.call({ op: 'revert', proxy: this.#id, id });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      // A thread that died took its proxies with it: nothing is left to stop.
      if (!this.thread.failed) await this.thread.call({ op: 'stop', proxy: this.#id });
    } finally {
      releasePort(this.port);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Starts a fault proxy on 127.0.0.1 in front of the dependency on `upstreamPort`, speaking
 * `protocol`, in firedrill's proxy thread.
 * @example await using proxy = await startThreadedFaultProxy('tcp', 5432);
 */
export function startThreadedFaultProxy(protocol: ProxyProtocol, upstreamPort: number): Promise<FaultProxy> {
  if (!thread || thread.failed) thread = new ProxyThread();
  return ThreadedFaultProxy.start(thread, protocol, upstreamPort);
}

import { FiredrillError } from '../../errors.ts';
import { exitWithin } from '../../exit-within.ts';
import { HelperProcess } from '../../helper-process.ts';
import { bindOnFreePort, releasePort } from '../../stack/free-port.ts';
import { runAllTeardowns } from '../../stack/teardown.ts';
import type { DriverFault } from '../fault-driver.ts';
import type { ScrapePathProxy } from '../scrape/scrape-proxy.ts';
import type { FaultProxy, ProxyFault, ProxyProtocol } from './proxy-fault.ts';
import type { ProxyHelperReply, ProxyHelperRequest } from './proxy-helper-protocol.ts';

// A dependency proxy is on the path of every query a service makes: a statement's bytes wait for
// the proxy's event loop on the way there and back, several times a request. firedrill's main
// thread is busy with everything else (stacks starting, traffic, Prometheus queries, verdicts):
// beside the test suite's other gates its event loop lagged 20 to 120 ms at the 99th percentile
// and up to 650 ms at moments, and THE_BOT's backend, whose requests cross the proxy five or six
// times, reached a p95 of 0.12 to 0.88 s with no database fault, against DjangoHighLatency's 1 s.
// So the proxies run in a helper process of their own (helper-process.ts), whose event loop does
// nothing else, and the main thread only asks it to start, inject, revert and stop them. Scrape-path proxies run there too:
// a scrape that waits for a busy main thread past its timeout (250 ms at scale 40) is `up` 0.

/** An answer takes milliseconds (the first waits for the helper to load); none after this means the helper is stuck. */
const ANSWER_TIMEOUT_MS = 60_000;

type Call = ProxyHelperRequest extends infer R ? (R extends ProxyHelperRequest ? Omit<R, 'seq'> : never) : never;

/** The helper's code; a test of a crash swaps in its own (`useProxyHelperEntry`). */
let entry = new URL('./proxy-helper-entry.ts', import.meta.url);

/**
 * The one helper of this process that runs its proxies, started with the first. The stacks keep
 * the process alive while they run, and each awaited answer's timer while it is awaited.
 */
class ProxyHelper {
  readonly #helper = new HelperProcess<ProxyHelperRequest, ProxyHelperReply>(entry, (reply) => this.#settle(reply), (cause) => this.#crashed(cause));
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  #seq = 0;
  #failure: Error | undefined;

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  call(request: Call): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#answer(seq, new FiredrillError('ENVIRONMENT', `firedrill's fault proxy process did not answer '${request.op}' within ${ANSWER_TIMEOUT_MS / 1000} s; run again`)), ANSWER_TIMEOUT_MS);
      this.#pending.set(seq, { resolve, reject, timer });
      try {
        this.#helper.post({ ...request, seq } as ProxyHelperRequest);
      } catch (error) {
        this.#answer(seq, error as Error);
      }
    });
  }

  #settle(reply: ProxyHelperReply): void {
    if (reply.ok) return this.#answer(reply.seq);
    const error = reply.code ? new FiredrillError(reply.code, reply.message) : Object.assign(new Error(reply.message), { name: reply.name });
    if (reply.stack) error.stack = reply.stack;
    this.#answer(reply.seq, error);
  }

  /** Ends the wait for answer `seq`, with `error` if given. */
  #answer(seq: number, error?: Error): void {
    const waiting = this.#pending.get(seq);
    if (!waiting) return;
    this.#pending.delete(seq);
    clearTimeout(waiting.timer);
    if (error) waiting.reject(error);
    else waiting.resolve();
  }

  /**
   * The helper died: every proxy of every running stack is gone, and its services can no longer
   * reach their dependencies, so no verdict from here on would be about the system. As in a proxy
   * of the main thread, which would have crashed firedrill, the run ends; here with exit code 2,
   * after its teardowns.
   */
  #crashed(cause: Error): void {
    if (this.#failure) return;
    this.#failure = new FiredrillError('ENVIRONMENT', `firedrill's fault proxy process stopped (${cause.message}); its proxies are gone, run again`, { cause });
    for (const seq of [...this.#pending.keys()]) this.#answer(seq, this.#failure);
    console.error(`firedrill: ${this.#failure.message}`);
    process.exitCode = 2;
    void runAllTeardowns().finally(() => exitWithin(2));
  }
}

let helper: ProxyHelper | undefined;
let proxies = 0;

/** For tests: the proxy process, when this process starts it, runs `code` instead (a helper that dies on cue). */
export function useProxyHelperEntry(code: URL): void {
  if (helper) throw new Error('the proxy process is already running');
  entry = code;
}

/** A proxy that runs in the proxy process: the main thread's handle on it, by its id there. */
class HelperProxy<Fault extends ProxyFault | DriverFault> implements AsyncDisposable {
  protected readonly id = ++proxies;
  #stopped = false;

  protected constructor(
    protected readonly helper: ProxyHelper,
    readonly port: number,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /**
   * Draws the port here, not in the thread (this thread's draws keep the stack's own ports apart
   * from it), and has the helper start the proxy `make` names on it, with `start`'s request.
   */
  protected static startOn<P extends HelperProxy<ProxyFault | DriverFault>>(make: (port: number) => P, start: (id: number, port: number) => Call): Promise<P> {
    return bindOnFreePort(async (port) => {
      const proxy = make(port);
      await proxy.helper.call(start(proxy.id, port));
      return proxy;
    });
  }

  inject(fault: Fault): Promise<void> {
    return this.helper.call({ op: 'inject', proxy: this.id, fault });
  }

  revert(id: string): Promise<void> {
    return this.helper.call({ op: 'revert', proxy: this.id, id });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    try {
      await this.helper.call({ op: 'stop', proxy: this.id });
    } catch (error) {
      // A helper that died took its proxies with it: nothing is left to stop.
      if (!this.helper.failed) throw error;
    } finally {
      releasePort(this.port);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** A dependency proxy in the proxy process, as `startTcpFaultProxy` / `startHttpFaultProxy` would start it in this one. */
class HelperFaultProxy extends HelperProxy<ProxyFault> implements FaultProxy {
  private constructor(
    helper: ProxyHelper,
    readonly protocol: ProxyProtocol,
    port: number,
  ) {
    super(helper, port);
  }

  static start(helper: ProxyHelper, protocol: ProxyProtocol, upstreamPort: number): Promise<HelperFaultProxy> {
    return HelperProxy.startOn((port) => new HelperFaultProxy(helper, protocol, port), (proxy, port) => ({ op: 'start', proxy, protocol, upstreamPort, port }));
  }
}

/** A scrape-path proxy in the proxy process, as `ScrapeProxy.start` would start it in this one. */
class HelperScrapeProxy extends HelperProxy<DriverFault> implements ScrapePathProxy {
  static start(helper: ProxyHelper, upstream: string): Promise<HelperScrapeProxy> {
    return HelperProxy.startOn((port) => new HelperScrapeProxy(helper, port), (proxy, port) => ({ op: 'start-scrape', proxy, upstream, port }));
  }
}

/**
 * Starts a fault proxy on 127.0.0.1 in front of the dependency on `upstreamPort`, speaking
 * `protocol`, in firedrill's proxy process.
 * @example await using proxy = await startFaultProxyInHelper('tcp', 5432);
 */
export function startFaultProxyInHelper(protocol: ProxyProtocol, upstreamPort: number): Promise<FaultProxy> {
  helper ??= new ProxyHelper();
  return HelperFaultProxy.start(helper, protocol, upstreamPort);
}

/**
 * Starts a scrape-path proxy on 127.0.0.1 in front of a target's metrics URL (`upstream`,
 * `http://127.0.0.1:<port><metricsPath>`) in firedrill's proxy process: Prometheus' scrapes through
 * it wait for no other work of firedrill's.
 * @example await using proxy = await startScrapeProxyInHelper('http://127.0.0.1:8080/metrics');
 */
export function startScrapeProxyInHelper(upstream: string): Promise<ScrapePathProxy> {
  helper ??= new ProxyHelper();
  return HelperScrapeProxy.start(helper, upstream);
}

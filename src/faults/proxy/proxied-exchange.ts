import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher, Pool } from 'undici';
import { FaultDraws, type ActiveProxyFaults } from './active-proxy-faults.ts';
import { endToEndRequestHeaders, endToEndResponseHeaders } from './end-to-end-headers.ts';
import type { FaultSubject } from './fault-proxy-core.ts';
import type { ProxyFault } from './proxy-fault.ts';
import { ShapedPipe, type LinkConditions } from './shaped-pipe.ts';

/** Where the exchange forwards to: the upstream's pool and its origin, for error messages. */
export interface HttpUpstream {
  readonly pool: Pool;
  readonly origin: string;
}

/**
 * One request through the HTTP fault proxy, from arrival until its response is sent or its client
 * is gone. Faults are looked at on arrival (reset, timeout), after the latency, and while the
 * response streams (timeout, bandwidth), so they reach requests already in flight.
 */
export class ProxiedExchange implements FaultSubject {
  readonly draws = new FaultDraws();
  readonly #pipes: ShapedPipe[] = [];
  readonly #aborts = new AbortController();
  readonly #conditions: LinkConditions;
  #held = false;
  #gone = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly faults: ActiveProxyFaults,
    private readonly upstream: HttpUpstream,
    private readonly onGone: () => void,
  ) {
    // Latency delays the request as a whole before it is forwarded, not each chunk of its bodies.
    this.#conditions = { delayMs: () => 0, bytesPerSecond: () => faults.bytesPerSecond(), held: () => this.#held };
    // Fires once the response is sent, or when the client went away first.
    res.once('close', () => this.#finish());
  }

  async handle(): Promise<void> {
    if (this.faults.resets(this.draws)) return this.reset();
    this.refresh();
    // A held request hangs with no answer until the timeout's revert destroys it.
    if (this.#held) return;
    const delayMs = this.faults.delayMs(this.draws);
    // The wait is cut short when the client goes away; the check below sees that.
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: this.#aborts.signal }).catch(() => undefined);
    if (this.#gone || this.#held) return;
    const answering = this.faults.answering(this.draws);
    if (answering) return this.#answer(answering);
    await this.#forward();
  }

  reset(): void {
    if (this.#gone) return;
    if (!this.req.socket.destroyed) this.req.socket.resetAndDestroy();
    this.#finish();
  }

  refresh(): void {
    if (this.#gone) return;
    if (this.faults.holds(this.draws)) this.#held = true;
    // The client's request or its answer was lost: the connection cannot carry on.
    else if (this.#held) return this.destroy();
    for (const pipe of this.#pipes) pipe.nudge();
  }

  destroy(): void {
    if (this.#gone) return;
    this.res.destroy();
    this.#finish();
  }

  async #forward(): Promise<void> {
    const { req, res } = this;
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const upload = hasBody ? new PassThrough() : undefined;
    if (upload) this.#pipes.push(new ShapedPipe(req, upload, this.#conditions));
    let response: Dispatcher.ResponseData;
    try {
      response = await this.upstream.pool.request({
        method: req.method as Dispatcher.HttpMethod,
        path: req.url ?? '/',
        headers: endToEndRequestHeaders(req.rawHeaders, req.headers.connection),
        body: upload,
        signal: this.#aborts.signal,
      });
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException);
      return;
    }
    // A held exchange never answers, and the upstream's answer is lost with it.
    if (this.#gone || this.#held) return void response.body.on('error', () => undefined).destroy();
    response.body.on('error', () => this.destroy());
    res.writeHead(response.statusCode, endToEndResponseHeaders(response.headers));
    this.#pipes.push(new ShapedPipe(response.body, res, this.#conditions));
  }

  #answer(fault: ProxyFault): void {
    const status = Number(fault.params.status);
    const body = JSON.stringify({ error: `firedrill fault '${fault.id}': http_status ${status}`, fault: fault.id });
    // The upstream never sees the request, so its body is read and dropped here.
    this.req.resume();
    this.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  /** The upstream could not be reached or failed mid-request: 502, as a reverse proxy answers; after the head, the client's connection goes. */
  fail(error: NodeJS.ErrnoException): void {
    if (this.#gone) return;
    if (this.res.headersSent) return this.destroy();
    this.req.resume();
    const body = JSON.stringify({ error: `firedrill fault proxy: upstream ${this.upstream.origin} did not answer: ${error.code ?? error.message}` });
    this.res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    this.res.end(body);
  }

  #finish(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#aborts.abort();
    for (const pipe of this.#pipes) pipe.close();
    this.onGone();
  }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { badInput } from '../../errors.ts';
import type { DriverFault } from '../fault-driver.ts';
import { ProxyListener } from '../proxy/proxy-listener.ts';
import { dropFamily } from './drop-family.ts';

/** A proxy on one target's scrape path, wherever it runs (this thread, or the proxy process: proxy-helper.ts). */
export interface ScrapePathProxy extends AsyncDisposable {
  readonly port: number;
  inject(fault: DriverFault): Promise<void>;
  /** Reverts that fault only; the others stay in force. */
  revert(id: string): Promise<void>;
  /** Reverts everything and closes every connection and the listener. */
  stop(): Promise<void>;
}

/** What Prometheus is answered while scrape faults hold: the newest fault of a kind wins, drops add up. */
interface ScrapeFaultState {
  readonly timeout: boolean;
  readonly errorStatus: number | undefined;
  readonly droppedFamilies: readonly string[];
}

const DEFAULT_SCRAPE_ERROR_STATUS = 500;
/** Upstream budget: Prometheus' own scrape timeout ends the scrape sooner; this only bounds a stuck target. */
const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * Stands between Prometheus and one target's metrics endpoint on 127.0.0.1, passing scrapes
 * through untouched until a scrape fault asks it to make them hang, fail, or lose a family.
 */
export class ScrapeProxy implements ScrapePathProxy {
  readonly #faults: DriverFault[] = [];
  /** Scrapes held by a timeout fault, answered never; closed on revert or stop. */
  readonly #held = new Set<ServerResponse>();
  #listener: ProxyListener | undefined;
  #stopped = false;

  private constructor(private readonly upstream: string) {}

  /**
   * `upstream`: the target's metrics URL, `http://127.0.0.1:<port><metricsPath>`; `port`: where to
   * listen (a taken one is PORT_TAKEN), default a free one.
   */
  static async start(upstream: string, port?: number): Promise<ScrapeProxy> {
    const proxy = new ScrapeProxy(upstream);
    proxy.#listener = await ProxyListener.open(
      createServer((req, res) => void proxy.#handle(req, res)),
      port,
    );
    return proxy;
  }

  get port(): number {
    return this.#listener?.port ?? 0;
  }

  async inject(fault: DriverFault): Promise<void> {
    if (this.#stopped) throw badInput(`scrape proxy 127.0.0.1:${this.port}: cannot inject fault '${fault.id}' (${fault.spec.kind}): the proxy is stopped; start a new one`);
    this.#faults.push(fault);
  }

  async revert(id: string): Promise<void> {
    const index = this.#faults.findIndex((f) => f.id === id);
    if (index >= 0) this.#faults.splice(index, 1);
    if (!this.#state().timeout) this.#releaseHeld();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#faults.length = 0;
    this.#releaseHeld();
    await this.#listener?.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #state(): ScrapeFaultState {
    const newest = (kind: string) => this.#faults.filter((f) => f.spec.kind === kind).at(-1);
    const error = newest('scrape_error');
    return {
      timeout: newest('scrape_timeout') !== undefined,
      errorStatus: error ? Number(error.spec.params?.status ?? DEFAULT_SCRAPE_ERROR_STATUS) : undefined,
      droppedFamilies: this.#faults.filter((f) => f.spec.kind === 'scrape_drop').map((f) => String(f.spec.params?.family)),
    };
  }

  #releaseHeld(): void {
    for (const res of this.#held) res.destroy();
    this.#held.clear();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const state = this.#state();
    if (state.timeout) {
      this.#held.add(res);
      res.once('close', () => this.#held.delete(res));
      return;
    }
    if (state.errorStatus !== undefined) {
      res.writeHead(state.errorStatus, { 'content-type': 'text/plain' }).end(`firedrill scrape fault: ${state.errorStatus}\n`);
      return;
    }
    // Prometheus gave up on the scrape: stop waiting on the target too (a paused target would pile them up).
    const gaveUp = new AbortController();
    res.once('close', () => gaveUp.abort());
    try {
      const dropping = state.droppedFamilies.length > 0;
      // To edit the body it must be plain text: no OpenMetrics, no gzip.
      const headers = dropping ? { accept: 'text/plain;version=0.0.4', 'accept-encoding': 'identity' } : pick(req.headers, ['accept', 'accept-encoding', 'user-agent', 'x-prometheus-scrape-timeout-seconds']);
      // The path and query Prometheus asked for (a blackbox /probe?target=...), as without the proxy.
      const upstream = await request(new URL(req.url ?? '/', this.upstream).href, { method: 'GET', headers, headersTimeout: UPSTREAM_TIMEOUT_MS, bodyTimeout: UPSTREAM_TIMEOUT_MS, signal: gaveUp.signal });
      const passHeaders = pick(upstream.headers, ['content-type', 'content-encoding']);
      if (!dropping) {
        res.writeHead(upstream.statusCode, passHeaders);
        for await (const chunk of upstream.body) res.write(chunk);
        res.end();
        return;
      }
      const text = state.droppedFamilies.reduce((body, family) => dropFamily(body, family), await upstream.body.text());
      res.writeHead(upstream.statusCode, passHeaders).end(text);
    } catch (error) {
      // The target is down or hung: answer as a reverse proxy does; Prometheus records the failed scrape.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`firedrill scrape proxy: ${(error as Error).message}\n`);
      else res.destroy();
    }
  }
}

function pick(headers: Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

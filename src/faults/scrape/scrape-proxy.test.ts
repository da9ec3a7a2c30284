import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { FiredrillError } from '../../errors.ts';
import type { DriverFault } from '../fault-driver.ts';
import { countThroughProxyWhileHeld, type OtherThreadTraffic } from '../proxy/hold-this-thread.ts';
import { staysPending } from '../proxy/test-http-upstream.ts';
import { startScrapeProxyInHelper } from '../proxy/proxy-helper.ts';
import { ScrapeProxy, type ScrapePathProxy } from './scrape-proxy.ts';

const EXPOSITION = [
  '# HELP http_requests_total Requests.',
  '# TYPE http_requests_total counter',
  'http_requests_total{code="200"} 7',
  '# HELP queue_depth Jobs waiting.',
  '# TYPE queue_depth gauge',
  'queue_depth 3',
  '',
].join('\n');

/** What the target was asked last: path and query. */
let asked: string | undefined;
/** A target's metrics endpoint: answers any path with the exposition. */
const target: Server = createServer((req, res) => {
  asked = req.url;
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(EXPOSITION);
});
target.listen(0, '127.0.0.1');
await once(target, 'listening');
const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/metrics`;
afterAll(() => new Promise((resolve) => target.close(resolve)));

const fault = (id: string, kind: string, params?: DriverFault['spec']['params']): DriverFault => ({ id, spec: { target: 'api', kind, ...(params ? { params } : {}) } });

/** A scrape through `proxy` at `path`: its status, the path the target was asked, the body. */
async function scrape(proxy: ScrapePathProxy, path = '/metrics'): Promise<{ status: number; asked: string | undefined; body: string }> {
  asked = undefined;
  const res = await request(`http://127.0.0.1:${proxy.port}${path}`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
  return { status: res.statusCode, asked, body: await res.body.text() };
}

describe.each([
  ['in this thread', (upstream: string): Promise<ScrapePathProxy> => ScrapeProxy.start(upstream)],
  ['in the proxy process', startScrapeProxyInHelper],
])('a scrape-path proxy %s', (_, start) => {
  it('passes a scrape through untouched, with the path and query Prometheus asked for', async () => {
    await using proxy = await start(targetUrl);
    expect(await scrape(proxy)).toEqual({ status: 200, asked: '/metrics', body: EXPOSITION });
    // A blackbox exporter's probe: the query is the target's, as without the proxy.
    expect((await scrape(proxy, '/probe?target=127.0.0.1%3A5432&module=tcp')).asked).toBe('/probe?target=127.0.0.1%3A5432&module=tcp');
  });

  it('answers scrape_error with its status (500 by default) until its revert', async () => {
    await using proxy = await start(targetUrl);
    await proxy.inject(fault('broken', 'scrape_error'));
    expect((await scrape(proxy)).status).toBe(500);
    await proxy.inject(fault('unavailable', 'scrape_error', { status: 503 }));
    expect((await scrape(proxy)).status).toBe(503); // the newest of a kind wins
    await proxy.revert('unavailable');
    expect((await scrape(proxy)).status).toBe(500);
    await proxy.revert('broken');
    expect(await scrape(proxy)).toMatchObject({ status: 200, body: EXPOSITION });
  });

  it('drops a family with scrape_drop, drops adding up, and brings each back on its revert', async () => {
    await using proxy = await start(targetUrl);
    await proxy.inject(fault('no-requests', 'scrape_drop', { family: 'http_requests_total' }));
    await proxy.inject(fault('no-queue', 'scrape_drop', { family: 'queue_depth' }));
    expect((await scrape(proxy)).body.trim()).toBe('');
    await proxy.revert('no-queue');
    expect((await scrape(proxy)).body).toBe('# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth 3\n');
  });

  it('holds scrapes unanswered under scrape_timeout, closes them on its revert, and answers the next', async () => {
    await using proxy = await start(targetUrl);
    await proxy.inject(fault('hang', 'scrape_timeout'));
    const held = request(`http://127.0.0.1:${proxy.port}/metrics`).then(
      (res) => `answered ${res.statusCode}`,
      (error: Error) => `closed: ${error.message}`,
    );
    // Long enough for the request to reach the proxy on a loaded machine before the revert: one that
    // came after it would be answered.
    await staysPending(held, 1_000, 'a scrape under scrape_timeout');
    await proxy.revert('hang');
    expect(await held).toMatch(/^closed: /);
    expect((await scrape(proxy)).status).toBe(200);
  });

  it('refuses a fault once stopped, naming it, and takes a late revert quietly', async () => {
    const proxy = await start(targetUrl);
    await proxy.stop();
    const error = await proxy.inject(fault('late', 'scrape_error')).catch((e: unknown) => e as FiredrillError);
    expect([error?.code, error?.message]).toEqual(['BAD_INPUT', `scrape proxy 127.0.0.1:${proxy.port}: cannot inject fault 'late' (scrape_error): the proxy is stopped; start a new one`]);
    await expect(proxy.revert('late')).resolves.toBeUndefined();
  });

  it('answers 502 when the target does not answer, as a reverse proxy does', async () => {
    const down = createServer();
    down.listen(0, '127.0.0.1');
    await once(down, 'listening');
    const port = (down.address() as { port: number }).port;
    await new Promise((resolve) => down.close(resolve));
    await using proxy = await start(`http://127.0.0.1:${port}/metrics`);
    const answer = await scrape(proxy);
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(/^firedrill scrape proxy: /);
  });
});

/**
 * A target and a scraper in a thread of their own, the scraper scraping through `proxyPort` each
 * time the last scrape was answered and counting the answers in `counter[0]`: they go on whatever
 * this thread does.
 */
async function scrapingThread(counter: Int32Array): Promise<OtherThreadTraffic<string>> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const http = require('node:http');
     const target = http.createServer((req, res) => res.end('up 1\\n'));
     target.listen(0, '127.0.0.1', () => parentPort.postMessage(target.address().port));
     const agent = new http.Agent({ keepAlive: true });
     parentPort.once('message', (proxyPort) => {
       const next = () => http.get({ host: '127.0.0.1', port: proxyPort, path: '/metrics', agent }, (res) => {
         res.resume();
         res.on('end', () => { Atomics.add(workerData.counter, 0, 1); next(); });
       }).on('error', () => setTimeout(next, 10));
       next();
     });`,
    { eval: true, workerData: { counter } },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return { upstream: `http://127.0.0.1:${port}/metrics`, start: (proxyPort) => worker.postMessage(proxyPort), stop: () => worker.terminate() };
}

/** Scrapes answered through the proxy while this thread's event loop is held for `holdMs`, from the first one on. */
const scrapesWhileBlocked = (start: (upstream: string) => Promise<ScrapePathProxy>, holdMs: number) => countThroughProxyWhileHeld(scrapingThread, start, holdMs, 'scrape answered through the proxy');

describe('scrapes through a scrape-path proxy while firedrill is busy', () => {
  it("are answered from the proxy process while this thread's event loop is held; a proxy in this thread answers none", async () => {
    expect(await scrapesWhileBlocked(startScrapeProxyInHelper, 10_000)).toBeGreaterThanOrEqual(20);
    // The control: the same hold stops a proxy of this thread (the one answer already on its way
    // as the hold began aside), so the count above is the proxy process's doing.
    expect(await scrapesWhileBlocked((upstream) => ScrapeProxy.start(upstream), 1_000)).toBeLessThanOrEqual(1);
  });
});

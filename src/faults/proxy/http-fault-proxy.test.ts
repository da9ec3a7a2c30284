import { Client, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../stack/free-port.ts';
import { waitFor } from '../../stack/wait-for.ts';
import { startHttpFaultProxy } from './http-fault-proxy.ts';
import { outcome, staysPending, TestHttpUpstream, within } from './test-http-upstream.ts';

const upstream = await TestHttpUpstream.start();
afterAll(() => upstream.stop());

const proxyToUpstream = () => startHttpFaultProxy({ upstream: upstream.origin });

/** A keep-alive client on one connection, counting the connections it had to open. */
function keepAliveClient(port: number): { client: Client; connections: () => number } {
  const client = new Client(`http://127.0.0.1:${port}`);
  let connections = 0;
  client.on('connect', () => connections++);
  return { client, connections: () => connections };
}

async function durationMs(work: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await work();
  return performance.now() - startedAt;
}

/** The quickest of `count` requests: one quick answer proves a delay is gone, whatever the load. */
async function fastestMs(count: number, work: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < count; i++) fastest = Math.min(fastest, await durationMs(work));
  return fastest;
}

describe('the http fault proxy', () => {
  it('forwards method, path, query, headers and body, and answers with the upstream status and headers over one kept-alive connection', async () => {
    await using proxy = await proxyToUpstream();
    const { client, connections } = keepAliveClient(proxy.port);
    for (let i = 0; i < 3; i++) {
      const response = await client.request({ method: 'PUT', path: `/echo?n=${i}&x=a%20b`, headers: { 'x-drill': ['one', 'two'], 'content-type': 'text/plain' }, body: `body ${i}` });
      expect(response.statusCode).toBe(201);
      expect(response.headers['x-upstream']).toBe('echo');
      expect(response.headers['x-hop']).toBeUndefined();
      const seen = (await response.body.json()) as { method: string; url: string; headers: Record<string, string>; body: string };
      expect(seen).toMatchObject({ method: 'PUT', url: `/echo?n=${i}&x=a%20b`, body: `body ${i}` });
      expect(seen.headers).toMatchObject({ 'x-drill': 'one, two', 'content-type': 'text/plain', host: new URL(upstream.origin).host });
    }
    expect(connections()).toBe(1);
    await client.close();
  });

  it('streams a response: the first chunk arrives while the upstream still holds the rest', async () => {
    await using proxy = await proxyToUpstream();
    const response = await request(`http://${proxy.address}/held`);
    const chunks = response.body[Symbol.asyncIterator]();
    expect(String((await within(5_000, 'the first chunk', chunks.next())).value)).toBe('first;');
    expect(upstream.heldCount).toBe(1);
    upstream.release();
    expect(String((await chunks.next()).value)).toBe('rest');
  });

  it('latency delays each request on a connection already open; its revert restores quick answers', async () => {
    await using proxy = await proxyToUpstream();
    const { client } = keepAliveClient(proxy.port);
    const get = () => client.request({ method: 'GET', path: '/bytes?n=10' }).then((r) => r.body.text());
    await get();
    await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 200, jitterMs: 10 } });
    expect(await durationMs(get)).toBeGreaterThanOrEqual(188);
    await proxy.revert('slow');
    expect(await fastestMs(5, get)).toBeLessThan(190);
    await client.close();
  });

  it('timeout hangs new and in-flight requests without an answer; its revert drops them and lets new ones through', async () => {
    await using proxy = await proxyToUpstream();
    // Not even the status line gets through: `request` resolves as soon as the head arrives.
    const waitingForHead = request(`http://${proxy.address}/held?late`);
    const streaming = (await request(`http://${proxy.address}/held`)).body[Symbol.asyncIterator]();
    expect(String((await within(5_000, 'the first chunk', streaming.next())).value)).toBe('first;');
    await upstreamHolds(2);
    await proxy.inject({ id: 'blackhole', kind: 'timeout', params: {} });
    upstream.release();
    const before = upstream.count('/echo');
    const fresh = request(`http://${proxy.address}/echo`);
    const restOfStream = streaming.next();
    await Promise.all([
      staysPending(waitingForHead, 400, 'the request waiting for its head'),
      staysPending(restOfStream, 400, 'the rest of the streaming response'),
      staysPending(fresh, 400, 'the new request'),
    ]);
    expect(upstream.count('/echo')).toBe(before);

    await proxy.revert('blackhole');
    const streamEnd = restOfStream.then(() => 'more data', (error: { code?: string }) => error.code);
    const ends = Promise.all([outcome(waitingForHead), streamEnd, outcome(fresh)]);
    expect(await within(5_000, 'the held requests to fail', ends)).toEqual(['UND_ERR_SOCKET', 'UND_ERR_SOCKET', 'UND_ERR_SOCKET']);
    expect(await outcome(request(`http://${proxy.address}/bytes?n=2`))).toBe('200 xx');
  });

  it('reset resets the client connection of in-flight and new requests; its revert lets new ones through', async () => {
    await using proxy = await proxyToUpstream();
    const inFlight = outcome(request(`http://${proxy.address}/held`));
    await upstreamHolds(1);
    await proxy.inject({ id: 'rst', kind: 'reset', params: {} });
    // The RST ends the response under way: undici names it ECONNRESET, or, when the reset reaches
    // it as the end of the socket while it reads (seen under load), UND_ERR_SOCKET. Either way the
    // request failed; a new one must meet the reset itself.
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(await within(5_000, 'the in-flight request to fail', inFlight));
    expect(await outcome(request(`http://${proxy.address}/bytes?n=2`))).toBe('ECONNRESET');
    upstream.release();
    await proxy.revert('rst');
    expect(await outcome(request(`http://${proxy.address}/bytes?n=2`))).toBe('200 xx');
  });

  it('refuse stops listening; its revert listens again on the same port', async () => {
    await using proxy = await proxyToUpstream();
    await proxy.inject({ id: 'down', kind: 'refuse', params: {} });
    expect(await outcome(request(`http://${proxy.address}/bytes?n=2`))).toBe('ECONNREFUSED');
    await proxy.revert('down');
    expect(await outcome(request(`http://${proxy.address}/bytes?n=2`))).toBe('200 xx');
  });

  it('bandwidth throttles request bodies and responses; its revert lets the rest of a response under way go at once', async () => {
    await using proxy = await proxyToUpstream();
    await proxy.inject({ id: 'thin', kind: 'bandwidth', params: { bytesPerSecond: 10_000 } });
    // 10 KB at 10 KB/s: 20 slices of 500 bytes, the last leaving after 950 ms.
    expect(await durationMs(async () => expect(await outcome(request(`http://${proxy.address}/count`, { method: 'POST', body: Buffer.alloc(10_000) }))).toBe('200 10000'))).toBeGreaterThanOrEqual(940);
    expect(await durationMs(() => request(`http://${proxy.address}/bytes?n=10000`).then((r) => r.body.text()))).toBeGreaterThanOrEqual(940);
    // 400 KB would take 40 s at the throttled rate; the revert speeds up the rest of it.
    const big = await request(`http://${proxy.address}/bytes?n=400000`);
    let received = 0;
    const reading = (async () => {
      for await (const chunk of big.body) received += (chunk as Buffer).length;
      return received;
    })();
    await waitFor('the first bytes of the 400 KB response', async () => ({ value: received > 0 || undefined, seen: `${received} bytes` }), { timeoutMs: 5_000, pollMs: 5 });
    await proxy.revert('thin');
    expect(await within(10_000, 'the rest of the 400 KB response, well before the 40 s the throttle would take', reading)).toBe(400_000);
  });

  it('http_status answers with that status and a JSON body naming the fault, without reaching the upstream; the newest wins and reverts leave the others exactly', async () => {
    await using proxy = await proxyToUpstream();
    const before = upstream.count('/echo');
    const get = () => outcome(request(`http://${proxy.address}/echo`));
    await proxy.inject({ id: 'unavailable', kind: 'http_status', params: { status: 503 } });
    expect(await get()).toBe(`503 {"error":"firedrill fault 'unavailable': http_status 503","fault":"unavailable"}`);
    await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 150 } });
    await proxy.inject({ id: 'limited', kind: 'http_status', params: { status: 429 } });
    expect(await durationMs(async () => expect(await get()).toMatch(/^429 /))).toBeGreaterThanOrEqual(148);
    await proxy.revert('limited');
    expect(await durationMs(async () => expect(await get()).toMatch(/^503 /))).toBeGreaterThanOrEqual(148);
    await proxy.revert('slow');
    expect(await get()).toMatch(/^503 /);
    expect(upstream.count('/echo')).toBe(before);
    await proxy.revert('unavailable');
    expect(await get()).toMatch(/^201 /);
    expect(upstream.count('/echo')).toBe(before + 1);
  });

  it('http_status with ratio 0.3 answers about 30% of 300 requests, and the upstream the rest', async () => {
    await using proxy = await proxyToUpstream();
    await proxy.inject({ id: 'some', kind: 'http_status', params: { status: 500, ratio: 0.3 } });
    const statuses: string[] = [];
    for (let batch = 0; batch < 15; batch++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => outcome(request(`http://${proxy.address}/bytes?n=1`))));
      statuses.push(...results.map((r) => r.slice(0, 3)));
    }
    const faulted = statuses.filter((s) => s === '500').length;
    expect(faulted + statuses.filter((s) => s === '200').length, `statuses: ${[...new Set(statuses)].join(', ')}`).toBe(300);
    // Binomial(300, 0.3) has a standard deviation of about 8: 45 either side is over 5.
    expect(faulted).toBeGreaterThanOrEqual(45);
    expect(faulted).toBeLessThanOrEqual(135);
  });

  it('answers 502 naming the upstream when the upstream is down', async () => {
    const downOrigin = `http://127.0.0.1:${await freePort()}`;
    await using proxy = await startHttpFaultProxy({ upstream: downOrigin });
    expect(await outcome(request(`http://${proxy.address}/any`))).toBe(`502 {"error":"firedrill fault proxy: upstream ${downOrigin} did not answer: ECONNREFUSED"}`);
  });

  it('refuses a bad fault naming each param, and an upstream that is not an origin on 127.0.0.1', async () => {
    await using proxy = await proxyToUpstream();
    await expect(proxy.inject({ id: 'x', kind: 'http_status', params: { status: 600, ratio: 0 } })).rejects.toThrow(
      `http fault proxy 127.0.0.1:${proxy.port}: cannot inject fault 'x' (http_status): params.status: 600 is not an HTTP error status; write an integer from 400 to 599, e.g. 503; params.ratio: 0 is not a share in (0, 1]; write e.g. 0.5 for half, or leave it out for all`,
    );
    for (const bad of ['http://10.0.0.1:8080', 'http://127.0.0.1:8080/api', 'https://127.0.0.1:8443']) {
      await expect(startHttpFaultProxy({ upstream: bad })).rejects.toThrow(`http fault proxy: upstream '${bad}' is not an origin on 127.0.0.1; firedrill only proxies to this machine, write http://127.0.0.1:<port>`);
    }
  });

  it('stop closes kept-alive connections and the listener', async () => {
    const proxy = await proxyToUpstream();
    const { client } = keepAliveClient(proxy.port);
    await client.request({ method: 'GET', path: '/bytes?n=1' }).then((r) => r.body.text());
    const hung = outcome(client.request({ method: 'GET', path: '/held?late' }));
    await upstreamHolds(1);
    await proxy.stop();
    expect(await within(5_000, 'the in-flight request to fail', hung)).toBe('UND_ERR_SOCKET');
    expect(await outcome(request(`http://${proxy.address}/bytes?n=1`))).toBe('ECONNREFUSED');
    upstream.release();
    await client.destroy();
  });
});

/** Waits until the upstream holds `count` responses open. */
function upstreamHolds(count: number): Promise<true> {
  return waitFor(`the upstream to hold ${count} request(s)`, async () => ({ value: upstream.heldCount === count || undefined, seen: `${upstream.heldCount} held` }), { timeoutMs: 5_000, pollMs: 5 });
}

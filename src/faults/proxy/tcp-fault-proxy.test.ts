import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../stack/free-port.ts';
import { startTcpFaultProxy } from './tcp-fault-proxy.ts';
import { connectOutcome, EchoServer, TestClient } from './test-sockets.ts';

const echo = await EchoServer.start();
afterAll(() => echo.stop());

const proxyToEcho = () => startTcpFaultProxy({ upstream: { host: '127.0.0.1', port: echo.port } });

describe('the tcp fault proxy', () => {
  it('passes bytes both ways unchanged, and passes on the end of a connection', async () => {
    await using proxy = await proxyToEcho();
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    const client = await TestClient.connect(proxy.port);
    const payload = randomBytes(1024 * 1024);
    await client.roundTripMs(payload, 10_000);
    expect(client.received().equals(payload)).toBe(true);
    client.socket.end();
    expect(await client.closedWith()).toBe('closed');
  });

  it('latency delays every chunk each way on a connection already open; its revert restores quick trips', async () => {
    await using proxy = await proxyToEcho();
    const client = await TestClient.connect(proxy.port);
    await client.roundTripMs('warm\n');
    await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 150 } });
    // Out and back: two delays, each up to 2 ms short as the wall clock counts whole milliseconds.
    expect(await client.roundTripMs('ping\n')).toBeGreaterThanOrEqual(296);
    await proxy.revert('slow');
    expect(await client.fastestRoundTripMs(5)).toBeLessThan(150);
    client.destroy();
  });

  it('closes the client when the upstream is down, and with latency only after the delayed connection set-up', async () => {
    await using proxy = await startTcpFaultProxy({ upstream: { host: '127.0.0.1', port: await freePort() } });
    expect(await (await TestClient.connect(proxy.port)).closedWith()).toBe('closed');
    await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 300, jitterMs: 0 } });
    const startedAt = performance.now();
    const client = await TestClient.connect(proxy.port);
    expect(await client.closedWith()).toBe('closed');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(298);
  });

  it('timeout holds open and new connections without passing a byte; its revert destroys them and lets new ones through', async () => {
    await using proxy = await proxyToEcho();
    const open = await TestClient.connect(proxy.port);
    await open.roundTripMs('warm\n');
    await proxy.inject({ id: 'blackhole', kind: 'timeout', params: {} });
    const [receivedBefore, connectionsBefore] = [echo.receivedBytes, echo.connectionsSeen];
    const fresh = await TestClient.connect(proxy.port);
    open.socket.write('lost\n');
    fresh.socket.write('lost too\n');
    await Promise.all([open.staysSilent(400), fresh.staysSilent(400)]);
    expect([echo.receivedBytes, echo.connectionsSeen]).toEqual([receivedBefore, connectionsBefore]);

    await proxy.revert('blackhole');
    await Promise.all([open.closedWith(), fresh.closedWith()]);
    const after = await TestClient.connect(proxy.port);
    await after.roundTripMs('back\n');
    after.destroy();
  });

  it('reset sends a RST to connections already open and to new ones; its revert lets new ones through', async () => {
    await using proxy = await proxyToEcho();
    const open = [await TestClient.connect(proxy.port), await TestClient.connect(proxy.port)];
    await Promise.all(open.map((c) => c.roundTripMs('warm\n')));
    await proxy.inject({ id: 'rst', kind: 'reset', params: {} });
    expect(await Promise.all(open.map((c) => c.closedWith()))).toEqual(['ECONNRESET', 'ECONNRESET']);
    // The RST may come before the client has seen its connection open: a reset either way.
    const fresh = TestClient.open(proxy.port);
    fresh.socket.write('ping\n');
    expect(await fresh.closedWith()).toBe('ECONNRESET');

    await proxy.revert('rst');
    const after = await TestClient.connect(proxy.port);
    await after.roundTripMs('back\n');
    after.destroy();
  });

  it('refuse stops listening and closes open connections; its revert listens again on the same port', async () => {
    await using proxy = await proxyToEcho();
    const open = await TestClient.connect(proxy.port);
    await open.roundTripMs('warm\n');
    await proxy.inject({ id: 'down', kind: 'refuse', params: {} });
    await open.closedWith();
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');

    await proxy.revert('down');
    const after = await TestClient.connect(proxy.port);
    await after.roundTripMs('back\n');
    after.destroy();
  });

  it('bandwidth throttles a transfer already under way, and its revert lets the rest go at once', async () => {
    await using proxy = await proxyToEcho();
    const client = await TestClient.connect(proxy.port);
    await client.roundTripMs('warm\n');
    const before = client.receivedBytes;
    await proxy.inject({ id: 'thin', kind: 'bandwidth', params: { bytesPerSecond: 20_000 } });
    const startedAt = performance.now();
    // 400 KB would take 20 s at this rate.
    client.socket.write(randomBytes(400_000));
    await client.until('the first 10 KB of the echo', () => client.receivedBytes - before >= 10_000);
    // 10 KB at 20 KB/s leaves in slices over at least 450 ms.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(440);
    await proxy.revert('thin');
    await client.until('the rest of the 400 KB echo, well before the 20 s the throttle would take', () => client.receivedBytes - before >= 400_000, 10_000);
    client.destroy();
  });

  it('stacks faults: latencies add up and revert one by one, the lowest bandwidth wins', async () => {
    await using proxy = await proxyToEcho();
    const client = await TestClient.connect(proxy.port);
    await proxy.inject({ id: 'a', kind: 'latency', params: { ms: 100 } });
    await proxy.inject({ id: 'b', kind: 'latency', params: { ms: 200 } });
    expect(await client.roundTripMs('both\n')).toBeGreaterThanOrEqual(592);
    await proxy.revert('b');
    expect(await client.roundTripMs('a only\n')).toBeGreaterThanOrEqual(196);
    expect(await client.fastestRoundTripMs(3)).toBeLessThan(600);
    await proxy.revert('a');
    expect(await client.fastestRoundTripMs(5)).toBeLessThan(200);

    await proxy.inject({ id: 'wide', kind: 'bandwidth', params: { bytesPerSecond: 100_000 } });
    await proxy.inject({ id: 'narrow', kind: 'bandwidth', params: { bytesPerSecond: 10_000 } });
    // 10 KB at 10 KB/s: 20 slices of 500 bytes, the last one leaving after 950 ms.
    expect(await client.roundTripMs(randomBytes(10_000))).toBeGreaterThanOrEqual(940);
    await proxy.revert('narrow');
    // At 100 KB/s: 2 slices 50 ms apart, so still throttled, but far quicker than 950 ms.
    const wide = await client.fastestRoundTripMs(3, () => randomBytes(10_000));
    expect(wide).toBeGreaterThanOrEqual(45);
    expect(wide).toBeLessThan(940);
    client.destroy();
  });

  it('reset with ratio 0.5 resets about half of 200 new connections', async () => {
    await using proxy = await proxyToEcho();
    await proxy.inject({ id: 'half', kind: 'reset', params: { ratio: 0.5 } });
    const outcomes: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, async () => {
            const client = TestClient.open(proxy.port);
            client.socket.write('ping\n');
            await client.until('an echo or a reset', () => client.receivedBytes >= 5 || client.closed);
            client.destroy();
            return client.receivedBytes >= 5 ? 'echoed' : (client.errorCode ?? 'closed');
          }),
        )),
      );
    }
    const resets = outcomes.filter((o) => o === 'ECONNRESET').length;
    const echoed = outcomes.filter((o) => o === 'echoed').length;
    expect(resets + echoed, `outcomes: ${[...new Set(outcomes)].join(', ')}`).toBe(200);
    // Binomial(200, 0.5) has a standard deviation of about 7: 40 either side is over 5.
    expect(resets).toBeGreaterThanOrEqual(60);
    expect(resets).toBeLessThanOrEqual(140);
  });

  it('refuses a bad fault with a message naming each problem, and an unknown revert', async () => {
    await using proxy = await proxyToEcho();
    const where = `tcp fault proxy 127.0.0.1:${proxy.port}`;
    await expect(proxy.inject({ id: 'x', kind: 'latency', params: { ms: -5, jitter: 1 } })).rejects.toThrow(
      `${where}: cannot inject fault 'x' (latency): params.jitter: not a param of latency; write only ms, jitterMs, ratio; params.ms: -5 is not a number of milliseconds > 0; write e.g. 200`,
    );
    await expect(proxy.inject({ id: 'x', kind: 'http_status', params: { status: 503 } })).rejects.toThrow(
      `${where}: cannot inject fault 'x' (http_status): kind: 'http_status' needs an http proxy, this one is tcp; write one of latency, timeout, reset, refuse, bandwidth`,
    );
    await proxy.inject({ id: 'x', kind: 'latency', params: { ms: 1 } });
    await expect(proxy.inject({ id: 'x', kind: 'reset', params: {} })).rejects.toThrow(`${where}: cannot inject fault 'x' (reset): id: 'x' is already in force; revert it first or choose another id`);
    await expect(proxy.revert('y')).rejects.toThrow(`${where}: no fault 'y' in force (in force: 'x'); revert only ids that inject accepted`);
  });

  it('refuses an upstream that is not on 127.0.0.1', async () => {
    await expect(startTcpFaultProxy({ upstream: { host: '10.0.0.1' as '127.0.0.1', port: 5432 } })).rejects.toThrow(
      "tcp fault proxy: upstream 10.0.0.1:5432 is not on 127.0.0.1; firedrill only proxies to this machine, write { host: '127.0.0.1', port: <1-65535> }",
    );
  });

  it('stop closes every connection, held ones included, and the listener', async () => {
    const proxy = await proxyToEcho();
    const open = await TestClient.connect(proxy.port);
    await open.roundTripMs('warm\n');
    await proxy.inject({ id: 'blackhole', kind: 'timeout', params: {} });
    const held = await TestClient.connect(proxy.port);
    await proxy.stop();
    await Promise.all([open.closedWith(), held.closedWith()]);
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
  });
});

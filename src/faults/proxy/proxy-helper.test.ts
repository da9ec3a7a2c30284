import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { FiredrillError } from '../../errors.ts';
import { countThroughProxyWhileHeld, type OtherThreadTraffic } from './hold-this-thread.ts';
import type { FaultProxy } from './proxy-fault.ts';
import { startTcpFaultProxy } from './tcp-fault-proxy.ts';
import { TestHttpUpstream } from './test-http-upstream.ts';
import { EchoServer, TestClient } from './test-sockets.ts';
import { startFaultProxyInHelper } from './proxy-helper.ts';

const echo = await EchoServer.start();
const http = await TestHttpUpstream.start();
afterAll(async () => {
  await echo.stop();
  await http.stop();
});

/**
 * An echo server and a client in a thread of their own, the client sending one byte through
 * `proxyPort` each time the last came back and counting the round trips in `counter[0]`: they go
 * on whatever this thread does.
 */
async function pingPongThread(counter: Int32Array): Promise<OtherThreadTraffic<number>> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const net = require('node:net');
     const server = net.createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
     parentPort.once('message', (proxyPort) => {
       const client = net.connect(proxyPort, '127.0.0.1', () => client.write('x'));
       client.on('data', () => { Atomics.add(workerData.counter, 0, 1); client.write('x'); });
       client.on('error', () => undefined);
     });`,
    { eval: true, workerData: { counter } },
  );
  const upstreamPort = await new Promise<number>((resolve) => worker.once('message', resolve));
  return { upstream: upstreamPort, start: (proxyPort) => worker.postMessage(proxyPort), stop: () => worker.terminate() };
}

/** Round trips through the proxy while this thread's event loop is held for `holdMs`, from the first one on. */
const roundTripsWhileBlocked = (proxyFor: (upstreamPort: number) => Promise<FaultProxy>, holdMs: number) => countThroughProxyWhileHeld(pingPongThread, proxyFor, holdMs, 'round trip through the proxy');

describe('a fault proxy in the proxy process', () => {
  it('passes bytes both ways, applies a fault until its revert, and stops', async () => {
    const proxy = await startFaultProxyInHelper('tcp', echo.port);
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    const client = await TestClient.connect(proxy.port);
    expect(await client.roundTripMs('warm\n')).toBeGreaterThanOrEqual(0);
    await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 150, jitterMs: 0 } });
    // Out and back: two delays, each up to 2 ms short as the wall clock counts whole milliseconds.
    expect(await client.roundTripMs('ping\n')).toBeGreaterThanOrEqual(296);
    await proxy.revert('slow');
    expect(await client.fastestRoundTripMs(5)).toBeLessThan(150);
    await proxy.stop();
    expect(await client.closedWith()).toBe('closed');
    await proxy.stop(); // a second stop, as an exit path may call it, does nothing
  });

  it('answers HTTP through the helper, and an http_status fault there', async () => {
    await using proxy = await startFaultProxyInHelper('http', Number(new URL(http.origin).port));
    const through = () => request(`http://${proxy.address}/echo`).then(async (r) => (await r.body.dump(), r.statusCode));
    expect(await through()).toBe(201); // the test upstream's answer
    await proxy.inject({ id: 'broken', kind: 'http_status', params: { status: 503 } });
    expect(await through()).toBe(503);
  });

  it('throws what the proxy would throw in this thread, a bad fault as BAD_INPUT naming it', async () => {
    await using proxy = await startFaultProxyInHelper('tcp', echo.port);
    const error = await proxy.inject({ id: 'odd', kind: 'latency', params: { ms: -5 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FiredrillError);
    expect((error as FiredrillError).code).toBe('BAD_INPUT');
    expect((error as Error).message).toMatch(/^tcp fault proxy 127\.0\.0\.1:\d+: cannot inject fault 'odd' \(latency\): params\.ms: -5 is not a number of milliseconds > 0/);
    await expect(proxy.revert('never')).rejects.toThrow(/no fault 'never' in force/);
  });

  it('answers a late inject or revert on a stopped proxy as a proxy of this thread does', async () => {
    const inHelper = await startFaultProxyInHelper('tcp', echo.port);
    const local = await startTcpFaultProxy({ upstream: { host: '127.0.0.1', port: echo.port } });
    const late = async (proxy: FaultProxy) => {
      await proxy.stop();
      const inject = await proxy.inject({ id: 'late', kind: 'reset', params: {} }).catch((e: unknown) => e as FiredrillError);
      const revert = await proxy.revert('late').catch((e: unknown) => e as FiredrillError);
      return [inject, revert].map((e) => `${e?.code}: ${e?.message.replace(`:${proxy.port}`, ':PORT')}`);
    };
    const helperAnswers = await late(inHelper);
    expect(helperAnswers).toEqual(await late(local));
    expect(helperAnswers[0]).toMatch(/^BAD_INPUT: tcp fault proxy 127\.0\.0\.1:PORT: cannot inject fault 'late' \(reset\): the proxy is stopped; start a new one$/);
  });

  it('keeps a process alive while it awaits an answer, and not once its proxies are idle', () => {
    // In a process of its own with nothing else to do: awaiting an unheld helper, it would end
    // before 'done' (an unsettled top-level await); held when idle, it would never end.
    const script = `import { startFaultProxyInHelper } from ${JSON.stringify(path.resolve('src/faults/proxy/proxy-helper.ts'))};
const proxy = await startFaultProxyInHelper('tcp', 9);
await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 100 } });
await proxy.revert('slow');
process.stdout.write('done');
const another = await startFaultProxyInHelper('http', 9);
process.stdout.write(' ' + (another.port !== proxy.port));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect({ code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }).toEqual({ code: 0, signal: null, stdout: 'done true', stderr: '' });
  });

  it('ends the process with exit code 2 and one line when the helper dies, after running the teardowns', () => {
    // In a process of its own, as a dying helper ends it. The helper answers its first request,
    // then exits with code 7 on the next, as a crash in a proxy would end it. The teardowns start
    // at once; the caller's wait fails with the same line.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-proxy-helper-test-'));
    try {
      const dying = path.join(dir, 'dying-helper.mjs');
      writeFileSync(
        dying,
        `import { helperPort } from ${JSON.stringify(path.resolve('src/helper-port.ts'))};\nconst port = helperPort('dying-helper.mjs');\nlet first = true;\nport.onRequest((m) => { if (first) { first = false; port.reply({ seq: m.seq, ok: true }); } else process.exit(7); });\n`,
      );
      const script = `import { pathToFileURL } from 'node:url';
import { startFaultProxyInHelper, useProxyHelperEntry } from ${JSON.stringify(path.resolve('src/faults/proxy/proxy-helper.ts'))};
import { onTeardown } from ${JSON.stringify(path.resolve('src/stack/teardown.ts'))};
useProxyHelperEntry(pathToFileURL(${JSON.stringify(dying)}));
onTeardown(async () => { process.stdout.write('torn down'); });
const proxy = await startFaultProxyInHelper('tcp', 9);
const answer = await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 100 } }).catch((e) => e.message);
process.stdout.write(answer + '; ');
setInterval(() => undefined, 1000);`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
      const line = "firedrill's fault proxy process stopped (it exited with code 7); its proxies are gone, run again";
      expect({ code: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }).toEqual({ code: 2, signal: null, stdout: `torn down${line}; `, stderr: `firedrill: ${line}\n` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps passing bytes while this thread's event loop is held; a proxy in this thread passes none", async () => {
    expect(await roundTripsWhileBlocked((port) => startFaultProxyInHelper('tcp', port), 10_000)).toBeGreaterThanOrEqual(20);
    // The control: the same hold stops a proxy of this thread dead (the one byte it may already have
    // passed back as the hold began aside), so the count above is the proxy process's doing.
    expect(await roundTripsWhileBlocked((port) => startTcpFaultProxy({ upstream: { host: '127.0.0.1', port } }), 1_000)).toBeLessThanOrEqual(1);
  });
});

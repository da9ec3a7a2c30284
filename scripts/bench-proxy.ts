// Benchmark of firedrill's helpers under a busy firedrill. First the dependency proxy: round trips
// of a client (in a thread of its own, as a service is a process of its own) through a TCP fault
// proxy to an echo server, while this thread's event loop is held the way a gate holds
// firedrill's (stacks starting, traffic, Prometheus queries, verdicts), once with the proxy in
// this thread and once in the proxy process stacks use. Then the traffic pacer the same way: how
// late each arrival of a 50 rps stream reached a service (in a thread of its own), from the pacer
// in this thread and from the traffic process drills use. Prints percentiles for each.
// Usage: npm run bench:proxy -- [--runs N] [--seconds S]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultProxy } from '../src/faults/proxy/proxy-fault.ts';
import { startTcpFaultProxy } from '../src/faults/proxy/tcp-fault-proxy.ts';
import { startFaultProxyInHelper } from '../src/faults/proxy/proxy-helper.ts';
import { runStreams, type StreamTarget } from '../src/engine/paced-stream.ts';
import { sendTraffic } from '../src/engine/traffic-helper.ts';
import { runsAndFlags } from './bench-kit.ts';

const { runs, flags } = runsAndFlags('bench:proxy', 1);
const { values } = parseArgs({ args: flags, options: { seconds: { type: 'string', default: '10' } }, strict: true });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`bench:proxy: --seconds ${values.seconds} is not a duration; use a number of seconds > 0, e.g. 10`);
  process.exit(2);
}

/** An echo server and a client in their own thread; the client times each one-byte round trip through `proxyPort`. */
const CLIENT = `
const { parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.once('message', ({ proxyPort, durationMs }) => {
  const rtts = [];
  let sentAt = 0;
  const client = net.connect(proxyPort, '127.0.0.1', () => { sentAt = performance.now(); client.write('x'); });
  client.setNoDelay(true);
  const endAt = performance.now() + durationMs;
  client.on('data', () => {
    const now = performance.now();
    rtts.push(now - sentAt);
    if (now >= endAt) { client.destroy(); server.close(); parentPort.postMessage(rtts); return; }
    // A query every 5 ms, as a service sends its statements, rather than as fast as it can.
    setTimeout(() => { sentAt = performance.now(); client.write('x'); }, 5);
  });
});`;

/** Holds this thread's event loop in bursts of 5 to 60 ms of work with up to 40 ms free between them, until `untilMs`. */
async function busyMainThread(untilMs: number): Promise<void> {
  while (performance.now() < untilMs) {
    const workUntil = performance.now() + 5 + Math.random() * 55;
    while (performance.now() < workUntil);
    await sleep(Math.random() * 40);
  }
}

async function roundTrips(start: (upstreamPort: number) => Promise<FaultProxy>): Promise<number[]> {
  const worker = new Worker(CLIENT, { eval: true });
  const upstreamPort = await new Promise<number>((resolve) => worker.once('message', resolve));
  await using proxy = await start(upstreamPort);
  const durationMs = seconds * 1000;
  const done = new Promise<number[]>((resolve) => worker.once('message', resolve));
  worker.postMessage({ proxyPort: proxy.port, durationMs });
  await busyMainThread(performance.now() + durationMs);
  const rtts = await done;
  await worker.terminate();
  return rtts.sort((a, b) => a - b);
}

/** A service in its own thread that notes when each request arrived (epoch ms, fractional). */
const SERVICE = `
const { parentPort } = require('node:worker_threads');
const arrivals = [];
const server = require('node:http').createServer((req, res) => { arrivals.push(performance.timeOrigin + performance.now()); res.end('ok'); });
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.once('message', () => { server.closeAllConnections(); server.close(); parentPort.postMessage(arrivals); });`;

const RATE = 50;

/** How late each arrival of a 50 rps stream reached the service while this thread is held. */
async function arrivalLateness(send: (targets: StreamTarget[], durationMs: number, signal: AbortSignal) => Promise<unknown>): Promise<number[]> {
  const worker = new Worker(SERVICE, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const durationMs = seconds * 1000;
  const stream = { name: 'bench', service: 'bench', startRps: RATE, stages: [], requests: [{ method: 'GET' as const, path: '/' }] };
  const sending = send([{ stream, baseUrl: `http://127.0.0.1:${port}` }], durationMs, new AbortController().signal);
  await busyMainThread(performance.now() + durationMs);
  await sending;
  const done = new Promise<number[]>((resolve) => worker.once('message', resolve));
  worker.postMessage('stop');
  const arrivals = (await done).sort((a, b) => a - b);
  await worker.terminate();
  // Arrival k is due k/RATE s after the stream's start; the start is taken as the one that makes
  // the most punctual arrival exactly on time, so every figure is how late it came beside that one.
  const offsets = arrivals.map((t, k) => t - (k * 1000) / RATE);
  const start = Math.min(...offsets);
  return offsets.map((o) => o - start).sort((a, b) => a - b);
}

const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const line = (name: string, sorted: number[]) =>
  `${name.padEnd(22)} ${String(sorted.length).padStart(6)}  ${[50, 95, 99].map((p) => at(sorted, p).toFixed(1).padStart(7)).join(' ')} ${sorted.at(-1)!.toFixed(1).padStart(7)}`;

console.log(`machine: ${os.availableParallelism()} cores; load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`main thread busy in bursts of 5-60 ms, up to 40 ms free between them; ${seconds} s per proxy`);
for (let run = 1; run <= runs; run++) {
  console.log(`run ${run}: round trips through the proxy (ms)`);
  console.log(`${'proxy'.padEnd(22)} ${'trips'.padStart(6)}  ${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(7)).join(' ')}`);
  console.log(line('in the main thread', await roundTrips((port) => startTcpFaultProxy({ upstream: { host: '127.0.0.1', port } }))));
  console.log(line('in the proxy process', await roundTrips((port) => startFaultProxyInHelper('tcp', port))));
  console.log(`run ${run}: arrivals of ${RATE} rps traffic, ms late on their schedule`);
  console.log(`${'pacer'.padEnd(22)} ${'sent'.padStart(6)}  ${['p50', 'p95', 'p99', 'max'].map((h) => h.padStart(7)).join(' ')}`);
  console.log(line('in the main thread', await arrivalLateness((targets, durationMs, signal) => runStreams(targets, { durationMs }, signal))));
  console.log(line('in the traffic process', await arrivalLateness((targets, durationMs, signal) => sendTraffic(targets, { durationMs }, signal))));
}

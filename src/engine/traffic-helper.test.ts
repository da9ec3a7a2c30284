import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { countWhileHeld } from '../faults/proxy/hold-this-thread.ts';
import type { PlannedStream } from '../scenario/scenario-plan.ts';
import { runStreams, type StreamTarget } from './paced-stream.ts';
import { sendTraffic, TrafficHelper } from './traffic-helper.ts';
import type { LiveTraffic } from './traffic.ts';

/** A service on 127.0.0.1: `/ok` answers 200, `/fail` 500, `/slow` 200 after 300 ms; it notes when each request came. */
async function startService(): Promise<{ url: string; arrivals: number[]; server: Server }> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(performance.now());
    if (req.url === '/slow') setTimeout(() => res.end('late'), 300);
    else res.writeHead(req.url === '/fail' ? 500 : 200).end();
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return { url: `http://127.0.0.1:${port}`, arrivals, server };
}

const service = await startService();
afterAll(async () => {
  service.server.closeAllConnections();
  await new Promise((resolve) => service.server.close(resolve));
});

const stream = (name: string, rps: number, requestPath: string): PlannedStream => ({ name, service: 'api', startRps: rps, stages: [], requests: [{ method: 'GET', path: requestPath }] });
const target = (s: PlannedStream, baseUrl = service.url): StreamTarget => ({ stream: s, baseUrl });

describe('traffic from the traffic process', () => {
  it('sends each stream on its clock and tallies the answers by stream and status, counting them live as they come', async () => {
    const live: LiveTraffic = { requests: 0, failures: 0 };
    const tally = await sendTraffic([target(stream('good', 40, '/ok')), target(stream('bad', 20, '/fail'))], { durationMs: 1_000 }, new AbortController().signal, live);
    const [good, bad] = tally.perStream;
    // 40 and 20 arrivals are due in the second (the first at 0); the last may fall past its end.
    expect(good!.total).toBeGreaterThanOrEqual(38);
    expect(good!.total).toBeLessThanOrEqual(40);
    expect(good!.ok).toBe(good!.total);
    expect(bad!.total).toBeGreaterThanOrEqual(18);
    expect(bad!.total).toBeLessThanOrEqual(20);
    expect(bad!.ok).toBe(0);
    expect(tally.statuses).toEqual({ '200': good!.total, '500': bad!.total });
    expect(tally.latenciesMs).toHaveLength(good!.total + bad!.total);
    expect(tally.dropped).toBe(0);
    expect(live).toEqual({ requests: good!.total + bad!.total, failures: bad!.total });
  });

  it('stops when its signal aborts, once every request in flight has its answer', async () => {
    const stop = new AbortController();
    const running = sendTraffic([target(stream('slow', 20, '/slow'))], { durationMs: 30_000 }, stop.signal);
    const before = service.arrivals.length;
    while (service.arrivals.length < before + 3) await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    const tally = await running;
    // 600 would be due over the whole 30 s; each one sent got its (late) answer.
    expect(tally.perStream[0]!.total).toBeLessThan(60);
    expect(tally.statuses).toEqual({ '200': tally.perStream[0]!.total });
  });

  it('drops the arrivals due before it got a timeline that began earlier, rather than sending them at once', async () => {
    const from = service.arrivals.length;
    const tally = await sendTraffic([target(stream('late', 40, '/ok'))], { durationMs: 1_000, startedAtMs: Date.now() - 500 }, new AbortController().signal);
    // 20 were due in the half second before: of those, the latest is sent at once, the 19 or 20 before it dropped.
    expect(tally.dropped).toBeGreaterThanOrEqual(19);
    expect(tally.dropped).toBeLessThanOrEqual(21);
    expect(tally.perStream[0]!.total).toBeGreaterThanOrEqual(17);
    expect(tally.perStream[0]!.total).toBeLessThanOrEqual(21);
    const arrivals = service.arrivals.slice(from);
    // Paced at 25 ms from the first: not the burst of 20 catching up would have sent.
    expect(arrivals.filter((t) => t - arrivals[0]! < 30).length).toBeLessThanOrEqual(4);
  });

  it('keeps its pace while this thread is held, where the pacer in this thread stops', async () => {
    const counter = new Int32Array(new SharedArrayBuffer(4));
    // The service in a thread of its own, counting arrivals: it answers whatever this thread does.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const server = require('node:http').createServer((req, res) => { Atomics.add(workerData.counter, 0, 1); res.end('ok'); });
       server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
      { eval: true, workerData: { counter } },
    );
    try {
      const port = await new Promise<number>((resolve) => worker.once('message', resolve));
      const paced = async (send: (targets: StreamTarget[], signal: AbortSignal) => Promise<unknown>) => {
        Atomics.store(counter, 0, 0);
        const stop = new AbortController();
        const running = send([target(stream('held', 50, '/'), `http://127.0.0.1:${port}`)], stop.signal);
        const counted = await countWhileHeld(counter, 1_500, 'request');
        stop.abort();
        await running;
        return counted;
      };
      // 75 are due in the 1.5 s held; counting stops at 20.
      expect(await paced((targets, signal) => sendTraffic(targets, { durationMs: 20_000 }, signal))).toBeGreaterThanOrEqual(20);
      expect(await paced((targets, signal) => runStreams(targets, { durationMs: 20_000 }, signal))).toBeLessThanOrEqual(1);
    } finally {
      await worker.terminate();
    }
  });

  it('fails the runs of a helper that stopped, saying so', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-traffic-helper-'));
    try {
      // A helper that loads, then dies on its first run.
      const entry = path.join(dir, 'dies.mjs');
      writeFileSync(entry, `import { helperPort } from ${JSON.stringify(path.resolve('src/helper-port.ts'))};\nconst port = helperPort('dies.mjs');\nport.onRequest(() => process.exit(7));\nport.reply({ kind: 'ready' });\n`);
      let stopped = false;
      const helper = new TrafficHelper(pathToFileURL(entry), () => (stopped = true));
      await helper.ready;
      await expect(helper.run([target(stream('any', 10, '/ok'))], { durationMs: 1_000 }, new AbortController().signal)).rejects.toThrow(
        "firedrill's traffic process stopped (it exited with code 7); the drills it sent traffic for cannot be judged, run again",
      );
      expect(stopped).toBe(true);
      await expect(helper.run([target(stream('any', 10, '/ok'))], { durationMs: 1_000 }, new AbortController().signal)).rejects.toThrow(/traffic process stopped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

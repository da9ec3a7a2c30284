import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledSystem } from '../compile/compile-system.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { recordSegments, segmentTimings } from './record-segments.ts';
import type { TrafficModel } from './traffic-model.ts';

// A real service (an HTTP server that notes when each request came) driven by the real traffic
// thread, which this file has not loaded yet: the first segment's measured stretch must see the
// segment's rate, not the thread's loading.

const arrivals: number[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    arrivals.push(Date.now());
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const compiled = { system: { name: 'shop' }, prometheus: { jobs: [{ job: 'api', scaledIntervalMs: 250 }] } } as unknown as CompiledSystem;
const stack = {
  compiled,
  serviceUrls: new Map([['api', '']]),
  faults: { inject: async () => undefined, revertAll: async () => undefined },
} as unknown as StartedStack;
const model: TrafficModel = { system: 'shop', baseline: 'healthy', streams: [{ service: 'api', rps: 20, requests: [{ method: 'GET', path: '/' }] }], incidents: [], seed: 1 };

describe('recordSegments', () => {
  it("sends the first segment's traffic at its level all through its measured stretch", async () => {
    (stack.serviceUrls as Map<string, string>).set('api', baseUrl);
    const [first] = await recordSegments(stack, model, [{ key: 'level 1', level: 1 }], AbortSignal.timeout(30_000), () => undefined);
    const measured = arrivals.filter((ms) => ms >= first!.fromMs && ms <= first!.toMs).length;
    const expected = (20 * (first!.toMs - first!.fromMs)) / 1000;
    expect(first!.toMs - first!.fromMs).toBeGreaterThanOrEqual(segmentTimings(compiled).measureMs);
    // Paced arrivals: off by one at each end of the stretch, and a little more for this thread's timers.
    expect(measured).toBeGreaterThanOrEqual(Math.floor(expected * 0.85) - 1);
    expect(measured).toBeLessThanOrEqual(Math.ceil(expected * 1.15) + 1);
  });
});

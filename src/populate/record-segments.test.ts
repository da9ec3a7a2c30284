import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSystem, type CompiledSystem } from '../compile/compile-system.ts';
import { loadConfig } from '../config/load-config.ts';
import { fault, type FaultSpec } from '../faults/fault-spec.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { addedDelayMs, recordSegments, segmentTimings } from './record-segments.ts';
import type { TrafficModel } from './traffic-model.ts';

// A real service (an HTTP server that notes when each request came) driven by the real traffic
// helper, which this file has not loaded yet (vitest gives each test file modules of its own): the
// first segment's measured stretch must see the segment's rate, not the helper's loading.

const arrivals: number[] = [];
/** When each answer left, and the delay a latency fault adds to the answers now. */
const answers: number[] = [];
let addedMs = 0;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    arrivals.push(Date.now());
    setTimeout(() => {
      answers.push(Date.now());
      res.end('ok');
    }, addedMs);
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
    // Paced arrivals: off by one at each end of the stretch, and more on a busy machine; without the
    // helper loaded first, half of them were missing.
    expect(measured).toBeGreaterThanOrEqual(Math.floor(expected * 0.7) - 1);
    expect(measured).toBeLessThanOrEqual(Math.ceil(expected * 1.3) + 1);
  });
});

describe('recordSegments, an incident whose fault delays answers', () => {
  it('settles until the delay has passed: the measured stretch has answers at the full rate, not only those sent before the fault', async () => {
    const piyasa = (await loadConfig('firedrill.config.ts')).systems.find((s) => s.name === 'piyasa')!;
    const delayed = { ...stack, compiled: compileSystem(piyasa, 40), faults: { inject: async (f: FaultSpec) => void (addedMs = Number(f.params!.ms)), revertAll: async () => void (addedMs = 0) } } as unknown as StartedStack;
    const latency = fault.latency('api', '900ms');
    const incident = { key: 'incident api-latency', level: 1, incident: { scenario: 'api-latency', faults: [{ at: '1m', fault: latency }], durationMs: 540_000 } };
    const [recorded] = await recordSegments(delayed, model, [incident], AbortSignal.timeout(30_000), () => undefined);
    const answered = answers.filter((ms) => ms >= recorded!.fromMs && ms <= recorded!.toMs).length;
    const expected = (20 * (recorded!.toMs - recorded!.fromMs)) / 1000;
    // Without the longer settling, 40% of them: only those sent in the first half second or so.
    expect(answered).toBeGreaterThanOrEqual(Math.floor(expected * 0.7) - 1);
    expect(answered).toBeLessThanOrEqual(Math.ceil(expected * 1.3) + 1);
  });

  it('records an incident whose faults add a delay after the segments whose faults add none, whatever the order given: none of them waits for that delay to drain', async () => {
    const piyasa = (await loadConfig('firedrill.config.ts')).systems.find((s) => s.name === 'piyasa')!;
    const injected: string[] = [];
    const delayed = { ...stack, compiled: compileSystem(piyasa, 40), faults: { inject: async (f: FaultSpec) => void (injected.push(f.kind), (addedMs = Number(f.params!.ms))), revertAll: async () => void (addedMs = 0) } } as unknown as StartedStack;
    const incident = { key: 'incident api-latency', level: 1, incident: { scenario: 'api-latency', faults: [{ at: '1m', fault: fault.latency('api', '900ms') }], durationMs: 540_000 } };
    const recorded = await recordSegments(delayed, model, [incident, { key: 'level 1', level: 1 }], AbortSignal.timeout(30_000), () => undefined);
    expect(recorded.map((r) => r.segment.key)).toEqual(['level 1', 'incident api-latency']);
    expect(injected).toEqual(['latency']);
  });

  it('takes the longest delay of the faults, jitter included, and none from faults that add no delay', () => {
    expect(addedDelayMs([fault.latency('api', '800ms', { jitter: '100ms' }), fault.slowQueries('db', '1500ms'), fault.kill('api')])).toBe(1_500);
    expect(addedDelayMs([fault.latency('api', '800ms', { jitter: '900ms' })])).toBe(1_700);
    expect(addedDelayMs([fault.kill('api'), fault.httpStatus('api', 503)])).toBe(0);
    expect(addedDelayMs([])).toBe(0);
    expect(addedDelayMs([{ target: 'api', kind: 'slow', params: { ms: '2s' } }])).toBe(0);
  });
});

import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioPlan } from '../scenario/scenario-plan.ts';
import { BuiltinEngine } from './builtin-engine.ts';
import type { LiveTraffic } from './traffic.ts';

/** A service and a fault controller on 127.0.0.1 that count what reaches them. */
async function listen(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(req.method === 'POST' ? 201 : 200).end('{}');
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return { url: `http://127.0.0.1:${port}`, hits, server };
}

const service = await listen();
const controller = await listen();
afterAll(() => Promise.all([service, controller].map(({ server }) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))))));

const plan: ScenarioPlan = {
  name: 'x',
  system: 'piyasa',
  scale: 40,
  historyS: 0,
  durationS: 1.5,
  streams: [{ name: 'traffic_0', service: 'api', startRps: 20, stages: [], requests: [{ method: 'GET', path: '/' }] }],
  faultCalls: [{ name: 'fault_0', action: 'inject', atS: 0.5, faultId: 'f0', fault: { target: 'api', kind: 'kill' } }],
};
const run = (signal: AbortSignal) => {
  const live: LiveTraffic = { requests: 0, failures: 0 };
  return new BuiltinEngine().run(plan, { serviceUrls: { api: service.url }, faults: { url: controller.url, token: 't' } }, { signal, live });
};

describe('the builtin engine', () => {
  it('plays the traffic and the fault calls of a plan', async () => {
    const before = { service: service.hits.length, controller: controller.hits.length };
    const summary = await run(new AbortController().signal);
    expect(summary.requests).toBeGreaterThanOrEqual(25);
    expect(service.hits.length - before.service).toBe(summary.requests);
    expect(controller.hits.slice(before.controller)).toEqual(['POST /faults']);
  });

  it('sends nothing, and injects nothing, when the drill is aborted before its clock starts (while the traffic process loads)', async () => {
    const before = { service: service.hits.length, controller: controller.hits.length };
    const aborted = new AbortController();
    aborted.abort();
    const summary = await run(aborted.signal);
    await new Promise((resolve) => setTimeout(resolve, plan.faultCalls[0]!.atS * 1000 + 200)); // past the fault's time, had it been scheduled
    expect([summary.requests, service.hits.length - before.service, controller.hits.length - before.controller]).toEqual([0, 0, 0]);
  });
});

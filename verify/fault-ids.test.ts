// Faults are reverted by id, end to end: two latency faults on one service stack (the latest
// applies), and reverting one leaves the other in force. The old protocol reverted by kind, so
// reverting either cleared both. Real service process, real HTTP, the cooperating-service protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';
import { FaultController } from '../src/faults/fault-controller.ts';
import { fault } from '../src/faults/fault-spec.ts';
import { httpJson } from '../src/observe/http-json.ts';
import { freePort } from '../src/stack/free-port.ts';
import type { RestartableProcess } from '../src/stack/restartable-process.ts';
import { serviceProcess } from '../src/stack/service-process.ts';
import { faultCatalogue } from '../src/faults/fault-catalogue.ts';
import { ServiceEndpointDriver } from '../src/faults/service-endpoint-driver.ts';

const TOKEN = 'f'.repeat(48);
let dir: string;
let api: RestartableProcess;
let baseUrl: string;
let controller: FaultController;

/** Wall milliseconds one GET /api/bots takes. */
async function requestMs(): Promise<number> {
  const started = performance.now();
  const response = await httpJson('GET', `${baseUrl}/api/bots`, { timeoutMs: 5_000 });
  expect(response.status).toBe(200);
  return performance.now() - started;
}
const active = async () => (await httpJson<{ active: { id: string; kind: string; params: Record<string, unknown> }[] }>('GET', `${baseUrl}/__fault`, { headers: { authorization: `Bearer ${TOKEN}` } })).body.active;

beforeAll(async () => {
  const config = await loadConfig('firedrill.config.ts');
  const service = config.systems[0]!.services.find((s) => s.name === 'api')!;
  dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-fault-ids-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  api = serviceProcess(service, { port, configDir: config.dir, runDir: dir, faultToken: TOKEN, env: {} });
  await api.start();
  const driver = new ServiceEndpointDriver(new Map([['api', { process: api, faultUrl: `${baseUrl}/__fault` }]]), TOKEN);
  controller = new FaultController({ catalogue: faultCatalogue(config.systems[0]!), drivers: new Map([['service-endpoint', driver]]) }, TOKEN, { system: 'piyasa', scale: 40 });
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the fault controller's own endpoint", () => {
  it('accepts only `Authorization: Bearer <token>`: not the bare token, not another scheme', async () => {
    await controller.listen();
    try {
      const call = (authorization: string) => httpJson('GET', `${controller.url}/faults`, { headers: { authorization } });
      expect((await call(TOKEN)).status).toBe(401);
      expect((await call(`Basic ${TOKEN}`)).status).toBe(401);
      expect((await call(`Bearer ${TOKEN}`)).status).toBe(200);
    } finally {
      await controller.close();
    }
  });
});

describe('two overlapping faults of one kind on one service', () => {
  it('stack: both are active, the latest applies', async () => {
    await controller.inject(fault.latency('api', '300ms'), 'slow');
    await controller.inject(fault.latency('api', '50ms'), 'slight');
    expect((await active()).map((f) => [f.id, f.kind, f.params.ms])).toEqual([
      ['slow', 'latency', 300],
      ['slight', 'latency', 50],
    ]);
    const took = await requestMs();
    expect(took).toBeGreaterThanOrEqual(50);
    expect(took).toBeLessThan(300);
  });

  it('reverting the latest by id brings the earlier one back into force, not "no latency"', async () => {
    await controller.revert('slight');
    expect((await active()).map((f) => f.id)).toEqual(['slow']);
    expect(await requestMs()).toBeGreaterThanOrEqual(300);
  });

  it('reverting the last one leaves the service clean', async () => {
    await controller.revert('slow');
    expect(await active()).toEqual([]);
    expect(await requestMs()).toBeLessThan(300);
  });
});

describe('the cooperating-service protocol refuses what it cannot run exactly', () => {
  const post = (body: unknown) => httpJson<{ error?: string }>('POST', `${baseUrl}/__fault`, { body, headers: { authorization: `Bearer ${TOKEN}` } });

  it('a guess with the params at the top level is refused, not run as "every request"', async () => {
    const guessed = await post({ id: 'g', kind: 'error_ratio', ratio: 0.1 });
    expect([guessed.status, guessed.body.error]).toEqual([400, `error_ratio: param 'ratio' is missing; send {"id": "...", "kind": "error_ratio", "params": {"ratio": ...}}`]);
    expect(await active()).toEqual([]);
  });

  it('an unknown or mistyped param is refused, naming it', async () => {
    expect((await post({ id: 'u', kind: 'latency', params: { ms: 100, jitterMs: 5 } })).body.error).toBe("latency: unknown param 'jitterMs'; it takes ms");
    expect((await post({ id: 't', kind: 'latency', params: { ms: '100' } })).body.error).toBe("latency: param 'ms' must be a number");
    expect(await active()).toEqual([]);
  });
});

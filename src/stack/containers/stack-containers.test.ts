import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResolvedService } from '../../config/resolved-system.ts';
import { LoopbackHttpWait } from './loopback-http-wait.ts';
import { COMPOSE_FILE } from './compose-launcher.ts';
import { StackContainers, type BringUpContainers } from './stack-containers.ts';

// How a stack's containers are grouped into compose `up`s, with the `up` itself recorded instead
// of run (the containers stack's own tests and the suite's containers gate run the real ones).
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-stack-containers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Up {
  readonly file: string | undefined;
  readonly services: string[];
  readonly waits: string[];
}

function recorded(): { ups: Up[]; bringUp: BringUpContainers } {
  const ups: Up[] = [];
  return {
    ups,
    bringUp: async (file, services, waits) => {
      ups.push({ file, services, waits: [...waits.keys()] });
      return (service) => `id-of-${service}`;
    },
  };
}

const service = (name: string): ResolvedService & { image: string; command: string[] } => ({
  name,
  job: name,
  command: ['node', 'server.js'],
  image: 'firedrill/node:local',
  metricsPath: '/metrics',
  faultPath: null,
  uses: [],
});

const launch = (port: number) => ({ port, configDir: dir, runDir: dir, faultToken: 'token', env: {} });

describe("a stack's containers", () => {
  it("brings Alertmanager up in the parts' one up, whichever asks first", async () => {
    const { ups, bringUp } = recorded();
    const containers = new StackContainers(mkdtempSync(path.join(dir, 'run-')), COMPOSE_FILE, bringUp);
    const alertmanager = containers.withParts('alertmanager', new LoopbackHttpWait(9093, '/-/ready'));
    // The stack adds its parts later (after its databases), then starts them.
    await new Promise((resolve) => setImmediate(resolve));
    containers.service(service('api'), launch(8001));
    containers.service(service('worker'), launch(8002));
    const ids = await Promise.all([containers.containerOf('service-api', 'service api'), containers.containerOf('service-worker', 'service worker'), alertmanager]);
    containers.startRiders();
    expect(ids).toEqual(['id-of-service-api', 'id-of-service-worker', 'id-of-alertmanager']);
    expect(ups).toEqual([{ file: expect.stringMatching(/compose-parts\.yml$/), services: ['service-api', 'service-worker', 'alertmanager'], waits: ['service-api', 'service-worker', 'alertmanager'] }]);
    expect(readFileSync(ups[0]!.file!, 'utf8')).not.toContain('alertmanager');
  });

  it('brings Alertmanager up alone, from the templates file, when no part runs in a container', async () => {
    const { ups, bringUp } = recorded();
    const containers = new StackContainers(mkdtempSync(path.join(dir, 'run-')), COMPOSE_FILE, bringUp);
    const alertmanager = containers.withParts('alertmanager', new LoopbackHttpWait(9093, '/-/ready'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ups).toEqual([]);
    containers.startRiders();
    expect(await alertmanager).toBe('id-of-alertmanager');
    expect(ups).toEqual([{ file: undefined, services: ['alertmanager'], waits: ['alertmanager'] }]);
  });

  it('tells a waiting Alertmanager when the stack stops before any up, and brings up nothing', async () => {
    const { ups, bringUp } = recorded();
    const containers = new StackContainers(mkdtempSync(path.join(dir, 'run-')), COMPOSE_FILE, bringUp);
    const alertmanager = containers.withParts('alertmanager', new LoopbackHttpWait(9093, '/-/ready'));
    containers.abandon();
    await expect(alertmanager).rejects.toThrow('the stack stopped before its containers started');
    // The parts' start ending after the stop (a teardown while it ran) brings nothing up either.
    containers.startRiders();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(containers.withParts('alertmanager', new LoopbackHttpWait(9093, '/-/ready'))).rejects.toThrow('the stack stopped before its containers started');
    expect(ups).toEqual([]);
  });

  it('brings up nothing when the stack stops within the turn the up waits for its parts', async () => {
    const { ups, bringUp } = recorded();
    const containers = new StackContainers(mkdtempSync(path.join(dir, 'run-')), COMPOSE_FILE, bringUp);
    containers.service(service('api'), launch(8001));
    const api = containers.containerOf('service-api', 'service api');
    containers.abandon();
    await expect(api).rejects.toThrow('service api: its container did not start: the stack stopped before its containers started');
    expect(ups).toEqual([]);
  });

  it('refuses a rider once the up has begun', async () => {
    const { bringUp } = recorded();
    const containers = new StackContainers(mkdtempSync(path.join(dir, 'run-')), COMPOSE_FILE, bringUp);
    containers.service(service('api'), launch(8001));
    await containers.containerOf('service-api', 'service api');
    await expect(containers.withParts('alertmanager', new LoopbackHttpWait(9093, '/-/ready'))).rejects.toThrow("alertmanager added after the stack's containers started");
  });
});

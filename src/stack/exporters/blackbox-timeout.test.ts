import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedExporter } from '../../config/resolved-system.ts';
import { freePort, releasePort } from '../free-port.ts';
import type { RestartableProcess } from '../restartable-process.ts';
import { blackboxTimeoutOffsetS } from './exporter-invocation.ts';
import { DEFAULT_BLACKBOX_MODULES, exporterProcess } from './exporter-process.ts';

describe('blackboxTimeoutOffsetS', () => {
  it("is blackbox_exporter's default 0.5 s for a production timeout, and half of a compressed one", () => {
    expect([10_000, 1_000, 250, 100].map(blackboxTimeoutOffsetS)).toEqual([0.5, 0.5, 0.125, 0.05]);
  });
});

// A real blackbox_exporter, started as the stacks start it, probing a service that accepts
// connections and never answers (as a paused container does behind its published port).
describe('blackbox_exporter probing a hung service under a 250 ms scaled scrape timeout', () => {
  const SCRAPE_TIMEOUT_S = 0.25;
  const held: Socket[] = [];
  const hung = createServer((socket) => held.push(socket));
  let dir: string;
  let port: number;
  let exporter: RestartableProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-blackbox-'));
    const modules = path.join(dir, 'blackbox.yml');
    writeFileSync(modules, DEFAULT_BLACKBOX_MODULES);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    port = await freePort();
    const config = { type: 'blackbox', name: 'probe', job: 'probe', probes: {}, metricsPath: '/metrics' } as unknown as ResolvedExporter;
    exporter = exporterProcess(config, { blackboxConfig: modules, blackboxTimeoutOffsetS: blackboxTimeoutOffsetS(SCRAPE_TIMEOUT_S * 1000) }, { port, runDir: dir });
    await exporter.start();
  }, 30_000);

  afterAll(async () => {
    await exporter?.stop();
    releasePort(port);
    for (const socket of held) socket.destroy();
    hung.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives up on the probe at half the timeout, leaving the other half to answer Prometheus, and reports the failure', async () => {
    const address = hung.address();
    if (address === null || typeof address === 'string') throw new Error('the hung server has no TCP address');
    const target = encodeURIComponent(`http://127.0.0.1:${address.port}/`);
    // The header Prometheus sends with every scrape; blackbox_exporter derives the probe's timeout from it.
    const response = await fetch(`http://127.0.0.1:${port}/probe?module=http_2xx&target=${target}&debug=true`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': String(SCRAPE_TIMEOUT_S) },
    });
    const debug = await response.text();
    expect(debug).toMatch(/msg="Beginning probe" probe=http timeout_seconds=0\.125\b/);
    expect(debug).toMatch(/^probe_success 0$/m);
  });
});

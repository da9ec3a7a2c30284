import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedExporter } from '../config/resolved-system.ts';
import { exporterProcess } from './exporters/exporter-process.ts';
import { freePort, releasePort } from './free-port.ts';
import { goProgramEnv } from './go-program-env.ts';
import { nativeLauncher } from './native-launcher.ts';
import { waitFor, type Probe } from './wait-for.ts';

let runDir: string;
beforeEach(() => {
  runDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-go-env-test-'));
});
afterEach(() => rmSync(runDir, { recursive: true, force: true }));

/** The environment a running process was started with, once it runs its own program (before its exec, a child still shows firedrill's). */
async function environmentOf(pid: number, program: string): Promise<Record<string, string>> {
  await waitFor(
    `process ${pid} to run ${program}`,
    async (): Promise<Probe<true>> => {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return { ...(cmdline.includes(program) ? { value: true } : {}), seen: cmdline };
    },
    { timeoutMs: 5_000, pollMs: 10 },
  );
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

describe('goProgramEnv', () => {
  it('runs one thread of Go code, keeping the rest of the environment, and a GOMAXPROCS the user set wins', () => {
    expect(goProgramEnv({ PATH: '/usr/bin', HOME: '/root' })).toEqual({ PATH: '/usr/bin', HOME: '/root', GOMAXPROCS: '1' });
    expect(goProgramEnv({ PATH: '/usr/bin', GOMAXPROCS: '4' })).toEqual({ PATH: '/usr/bin', GOMAXPROCS: '4' });
  });

  it('is the environment of the Prometheus and Alertmanager a native stack runs', async () => {
    writeFileSync(path.join(runDir, 'prometheus.yml'), 'global: {}\n');
    writeFileSync(path.join(runDir, 'alertmanager.yml'), 'route: { receiver: none }\nreceivers: [{ name: none }]\n');
    const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];
    const launcher = nativeLauncher({ runDir, prometheusPort, alertmanagerPort, resendDelay: '1s' });
    const processes = [await launcher.prometheus(), await launcher.alertmanager()];
    try {
      for (const [process, program] of [[processes[0]!, 'prometheus'], [processes[1]!, 'alertmanager']] as const) {
        const env = await environmentOf(process.pid!, program);
        expect(env.GOMAXPROCS, program).toBe('1');
        expect(env.PATH, program).toBe(globalThis.process.env.PATH);
      }
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
      releasePort(prometheusPort);
      releasePort(alertmanagerPort);
    }
  });

  it('is the environment of an exporter, beside the exporter\'s own variables', () => {
    const exporter = { name: 'db', type: 'postgres', job: 'postgres', dependency: 'db', metricsPath: '/metrics' } as unknown as ResolvedExporter;
    const env = exporterProcess(exporter, { postgresDsn: 'postgresql://u@127.0.0.1:5433/app?sslmode=disable' }, { port: 1, runDir }).options.launch().env!;
    expect(env.GOMAXPROCS).toBe('1');
    expect(env.DATA_SOURCE_NAME).toBe('postgresql://u@127.0.0.1:5433/app?sslmode=disable');
  });
});

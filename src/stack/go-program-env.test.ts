import { mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedExporter } from '../config/resolved-system.ts';
import { exporterProcess } from './exporters/exporter-process.ts';
import { freePort, releasePort } from './free-port.ts';
import { goProgramEnv } from './go-program-env.ts';
import { ManagedProcess } from './managed-process.ts';
import type { PartProcess } from './stack-part.ts';
import { nativeLauncher } from './native-launcher.ts';
import { waitFor, type Probe } from './wait-for.ts';

let runDir: string;
beforeEach(() => {
  runDir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-go-env-test-'));
  // The default is what is tested: a GOMAXPROCS in the environment running the tests would win.
  vi.stubEnv('GOMAXPROCS', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(runDir, { recursive: true, force: true });
});

/** The environment a child was started with, once it runs its own program (before its exec, it is still a copy of this process). */
async function environmentOf(child: ManagedProcess): Promise<Record<string, string>> {
  const program = realpathSync(child.spec.command);
  await waitFor(
    `${child.spec.name} (pid ${child.pid}) to run ${program}`,
    async (): Promise<Probe<true>> => {
      const running = readlinkSync(`/proc/${child.pid}/exe`);
      return { ...(running === program ? { value: true } : {}), seen: running };
    },
    { timeoutMs: 5_000, pollMs: 10, abortIf: () => (child.running ? undefined : (child.exitStory() ?? 'exited')) },
  );
  const pairs = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

describe('goProgramEnv', () => {
  it('runs one thread of Go code, keeping the rest of the environment; a GOMAXPROCS the user set wins, an empty one counts as unset', () => {
    expect(goProgramEnv({ PATH: '/usr/bin', HOME: '/root' })).toEqual({ PATH: '/usr/bin', HOME: '/root', GOMAXPROCS: '1' });
    expect(goProgramEnv({ PATH: '/usr/bin', GOMAXPROCS: '4' })).toEqual({ PATH: '/usr/bin', GOMAXPROCS: '4' });
    expect(goProgramEnv({ GOMAXPROCS: '' })).toEqual({ GOMAXPROCS: '1' });
  });

  it('is the environment of the Prometheus and Alertmanager a native stack runs', async () => {
    writeFileSync(path.join(runDir, 'prometheus.yml'), 'global: {}\n');
    writeFileSync(path.join(runDir, 'alertmanager.yml'), 'route: { receiver: none }\nreceivers: [{ name: none }]\n');
    const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];
    const launcher = nativeLauncher({ runDir, prometheusPort, alertmanagerPort, resendDelay: '1s' });
    const children: PartProcess[] = [];
    try {
      children.push(await launcher.prometheus(), await launcher.alertmanager());
      for (const child of children) {
        if (!(child instanceof ManagedProcess)) throw new Error(`${child.spec.name} is not a local process`);
        const env = await environmentOf(child);
        expect(env.GOMAXPROCS, child.spec.name).toBe('1');
        expect(env.PATH, child.spec.name).toBe(process.env.PATH);
      }
    } finally {
      await Promise.all(children.map((c) => c.stop()));
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

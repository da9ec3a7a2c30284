import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ResolvedExporter } from '../../config/resolved-system.ts';
import { exporterFiles, exporterInvocation, type ExporterSource } from '../exporters/exporter-invocation.ts';
import { alertmanagerArgs, prometheusArgs, type MonitoringLaunch } from '../monitoring-launcher.ts';
import { COMPOSE_FILE } from './compose-launcher.ts';
import { containerServiceName, exporterTemplate, SERVICE_TEMPLATE, stackComposeDocument } from './stack-compose-file.ts';
import { IMAGE_RECIPES, dockerfileFor, localImageEnvironment } from './images.ts';

const launch: MonitoringLaunch = { runDir: '/tmp/firedrill-piyasa-x1', alertmanagerPort: 41001, prometheusPort: 41002, resendDelay: '1s500ms' };

interface ResolvedService {
  command: string[];
  entrypoint: string[];
  environment?: Record<string, string>;
  image: string;
  network_mode: string;
  user: string;
  volumes: string[];
  working_dir?: string;
}

/** docker-compose.test.yml (and more files) as docker-compose itself reads them, with the variables firedrill sets. */
function composeConfig(env: Record<string, string>, more: string[] = []): { services: Record<string, ResolvedService> } {
  const files = [COMPOSE_FILE, ...more].flatMap((f) => ['--file', f]);
  // stderr is piped, not inherited: a refusal's message belongs in the error the test reads, not in the suite's output.
  const out = execFileSync('docker-compose', [...files, 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // `config` prints a compose file again, with `$` escaped as `$$`: the container gets one.
  return parse(out.replaceAll('$$', '$'));
}

const MONITORING = ['alertmanager', 'prometheus'];
const monitoringImages = (services: Record<string, ResolvedService>) => MONITORING.map((name) => services[name]!.image);

const firedrillEnv = {
  FIREDRILL_RUN_DIR: launch.runDir,
  FIREDRILL_ALERTMANAGER_PORT: String(launch.alertmanagerPort),
  FIREDRILL_PROMETHEUS_PORT: String(launch.prometheusPort),
  FIREDRILL_RESEND_DELAY: launch.resendDelay,
  FIREDRILL_UID: '1000',
  FIREDRILL_GID: '1000',
};

describe('docker-compose.test.yml', () => {
  it('runs Prometheus and Alertmanager with exactly the arguments of the native processes, on host networking, as the run user', () => {
    const { services } = composeConfig(firedrillEnv);
    expect(services.alertmanager!.command).toEqual(alertmanagerArgs(launch));
    expect(services.prometheus!.command).toEqual(prometheusArgs(launch));
    for (const service of [services.alertmanager!, services.prometheus!]) {
      expect(service.network_mode).toBe('host');
      expect(service.user).toBe('1000:1000');
      expect(service.volumes).toEqual([`${launch.runDir}:${launch.runDir}:rw`]);
      // One thread of Go code, as the native processes run (go-program-env.ts), unless the user set it.
      expect(service.environment).toEqual({ GOMAXPROCS: '1' });
    }
    const theirs = composeConfig({ ...firedrillEnv, GOMAXPROCS: '3' }).services;
    expect(MONITORING.map((name) => theirs[name]!.environment)).toEqual([{ GOMAXPROCS: '3' }, { GOMAXPROCS: '3' }]);
  });

  it('names the official images by default, and the images firedrill passes when it passes them', () => {
    expect(monitoringImages(composeConfig(firedrillEnv).services)).toEqual(['prom/alertmanager:v0.25.0', 'prom/prometheus:v2.42.0']);
    expect(monitoringImages(composeConfig({ ...firedrillEnv, ...localImageEnvironment() }).services)).toEqual(['firedrill/alertmanager:local', 'firedrill/prometheus:local']);
  });

  it('runs each exporter with the arguments and environment of the native process, from the template of its type, seeing the files it reads', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compose-file-'));
    try {
      const queries = path.join(dir, 'queries with $ in the name.yml');
      const exporters: { exporter: ResolvedExporter; source: ExporterSource }[] = [
        { exporter: { name: 'db metrics', type: 'postgres', job: 'postgres', dependency: 'db', queries, metricsPath: '/metrics' }, source: { postgresDsn: 'postgresql://u@127.0.0.1:5433/app?sslmode=disable' } },
        { exporter: { name: 'cache', type: 'redis', job: 'redis', dependency: 'cache', metricsPath: '/metrics' }, source: { redisPort: 6380 } },
        { exporter: { name: 'host', type: 'node', job: 'node', host: 'web', metricsPath: '/metrics' }, source: { nodeExporterArgs: [`--path.procfs=${launch.runDir}/host-web/proc`, '--collector.cpu'] } },
        { exporter: { name: 'probes', type: 'blackbox', job: 'blackbox', probes: {}, metricsPath: '/metrics' }, source: { blackboxConfig: `${launch.runDir}/blackbox-probes.yml`, blackboxTimeoutOffsetS: 0.125 } },
      ] as never;
      const taken = new Set<string>();
      const services = exporters.map(({ exporter, source }, i) => {
        const service = containerServiceName('exporter', exporter.name, taken);
        taken.add(service);
        const { args, env } = exporterInvocation(exporter, source, 42000 + i);
        return { service, type: exporter.type, template: exporterTemplate(exporter.type), command: args, env, readOnly: exporterFiles(exporter) };
      });
      const file = path.join(dir, 'compose-parts.yml');
      writeFileSync(file, stringify(stackComposeDocument(COMPOSE_FILE, services), { version: '1.1' }));

      const resolved = composeConfig({ ...firedrillEnv, ...localImageEnvironment() }, [file]).services;
      expect(services.map((s) => s.service)).toEqual(['exporter-db-metrics', 'exporter-cache', 'exporter-host', 'exporter-probes']);
      const entrypoints = { postgres: '/bin/postgres_exporter', redis: '/redis_exporter', node: '/bin/node_exporter', blackbox: '/bin/blackbox_exporter' };
      for (const s of services) {
        const service = resolved[s.service]!;
        expect(service.command).toEqual(s.command);
        expect(service.environment).toEqual({ GOMAXPROCS: '1', ...s.env });
        expect(service.entrypoint).toEqual([entrypoints[s.type]]);
        expect(service.image).toBe('firedrill/exporters:local');
        expect(service.network_mode).toBe('host');
        expect(service.user).toBe('1000:1000');
        expect(service.volumes.sort()).toEqual([`${launch.runDir}:${launch.runDir}:rw`, ...s.readOnly.map((f) => `${f}:${f}:ro`)].sort());
      }
      expect(resolved['exporter-db-metrics']!.command).toContain(`--extend.query-path=${queries}`);
      // Without the local builds, each exporter's official image.
      const official = composeConfig(firedrillEnv, [file]).services;
      expect(services.map((s) => official[s.service]!.image)).toEqual([
        'quay.io/prometheuscommunity/postgres-exporter:v0.11.1',
        'oliver006/redis_exporter:v1.45.0',
        'prom/node-exporter:v1.5.0',
        'prom/blackbox-exporter:v0.23.0',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a service with an image: its program as entrypoint, in its config directory, the fault token passed by name only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compose-file-'));
    try {
      const file = path.join(dir, 'compose-parts.yml');
      const part = {
        service: 'service-api',
        template: SERVICE_TEMPLATE,
        image: 'python:3.12-slim',
        entrypoint: ['python'],
        command: ['app.py', '--port=$PORT'],
        env: { PORT: '42010', DATABASE_URL: 'postgresql://u@127.0.0.1:42011/app' },
        passedEnv: ['FIREDRILL_FAULT_TOKEN'],
        readWrite: ['/srv/shop'],
        workingDir: '/srv/shop',
      };
      writeFileSync(file, stringify(stackComposeDocument(COMPOSE_FILE, [part]), { version: '1.1' }));
      expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
      const service = composeConfig({ ...firedrillEnv, FIREDRILL_FAULT_TOKEN: 's3cret' }, [file]).services['service-api']!;
      expect([service.image, service.entrypoint, service.command, service.working_dir]).toEqual(['python:3.12-slim', ['python'], ['app.py', '--port=$PORT'], '/srv/shop']);
      expect(service.environment).toEqual({ ...part.env, FIREDRILL_FAULT_TOKEN: 's3cret' }); // no GOMAXPROCS: the user's program as it is
      expect([service.network_mode, service.user]).toEqual(['host', '1000:1000']);
      expect(service.volumes.sort()).toEqual([`${launch.runDir}:${launch.runDir}:rw`, '/srv/shop:/srv/shop:rw'].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without the run directory firedrill sets', () => {
    expect(() => composeConfig({ FIREDRILL_ALERTMANAGER_PORT: '1', FIREDRILL_PROMETHEUS_PORT: '2' })).toThrow(/FIREDRILL_RUN_DIR/);
  });
});

describe('the local images', () => {
  it('install their programs from Debian on the debootstrap base, and run them as the official images do (entrypoint, arguments from compose)', () => {
    const prometheus = dockerfileFor(IMAGE_RECIPES.find((r) => r.variables.includes('FIREDRILL_PROMETHEUS_IMAGE'))!);
    expect(prometheus).toMatch(/^FROM firedrill\/debian:bookworm\n/);
    expect(prometheus).toContain('apt-get install -y -qq --no-install-recommends prometheus ');
    expect(prometheus).toContain('ENTRYPOINT ["/usr/bin/prometheus"]');
    const exporters = dockerfileFor(IMAGE_RECIPES.find((r) => r.variables.includes('FIREDRILL_NODE_EXPORTER_IMAGE'))!);
    expect(exporters).toContain('RUN ln -sf /usr/bin/prometheus-node-exporter /bin/node_exporter');
    expect(exporters).toContain('RUN ln -sf /usr/bin/prometheus-redis-exporter /redis_exporter');
  });
});

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertmanagerArgs, prometheusArgs, type MonitoringLaunch } from '../monitoring-launcher.ts';
import { COMPOSE_FILE } from './compose-launcher.ts';
import { IMAGE_RECIPES, dockerfileFor } from './images.ts';

const launch: MonitoringLaunch = { runDir: '/tmp/firedrill-piyasa-x1', alertmanagerPort: 41001, prometheusPort: 41002, resendDelay: '1s500ms' };

/** docker-compose.test.yml as docker-compose itself reads it, with the variables firedrill sets. */
function composeConfig(env: Record<string, string>): { services: Record<string, { command: string[]; image: string; network_mode: string; user: string; volumes: string[] }> } {
  const out = execFileSync('docker-compose', ['--file', COMPOSE_FILE, 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return parse(out);
}

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
    }
  });

  it('names the official images by default, and the images firedrill passes when it passes them', () => {
    expect(Object.values(composeConfig(firedrillEnv).services).map((s) => s.image)).toEqual(['prom/alertmanager:v0.25.0', 'prom/prometheus:v2.42.0']);
    const local = Object.fromEntries(IMAGE_RECIPES.map((r) => [r.variable, r.tag]));
    expect(Object.values(composeConfig({ ...firedrillEnv, ...local }).services).map((s) => s.image)).toEqual(['firedrill/alertmanager:local', 'firedrill/prometheus:local']);
  });

  it('refuses to start without the run directory firedrill sets', () => {
    expect(() => composeConfig({ FIREDRILL_ALERTMANAGER_PORT: '1', FIREDRILL_PROMETHEUS_PORT: '2' })).toThrow(/FIREDRILL_RUN_DIR/);
  });
});

describe('the local images', () => {
  it('install their programs from Debian on the debootstrap base, and run them as the official images do (entrypoint, arguments from compose)', () => {
    const prometheus = dockerfileFor(IMAGE_RECIPES.find((r) => r.variable === 'FIREDRILL_PROMETHEUS_IMAGE')!);
    expect(prometheus).toMatch(/^FROM firedrill\/debian:bookworm\n/);
    expect(prometheus).toContain('apt-get install -y -qq --no-install-recommends prometheus ');
    expect(prometheus).toContain('ENTRYPOINT ["/usr/bin/prometheus"]');
  });
});

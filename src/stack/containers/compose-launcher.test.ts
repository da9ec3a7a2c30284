import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSystem, writeAlertmanagerConfig } from '../../compile/compile-system.ts';
import type { ResolvedSystem } from '../../config/load-config.ts';
import { httpJson } from '../../observe/http-json.ts';
import { freePort } from '../free-port.ts';
import { composeLauncher } from './compose-launcher.ts';
import { PROJECT_LABEL } from './compose-projects.ts';
import { composeEnvironment } from './compose-environment.ts';
import { findDockerCompose } from './docker-cli.ts';
import { localImageEnvironment } from './images.ts';

// Needs the Docker engine and the local images (`npm run images`), as the containers stack does.
const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-compose-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function minimalSystem(): ResolvedSystem {
  writeFileSync(path.join(dir, 'prometheus.yml'), 'global: { scrape_interval: 15s, evaluation_interval: 15s }\nscrape_configs: []\n');
  writeFileSync(path.join(dir, 'alertmanager.yml'), 'route: { receiver: none }\nreceivers: [{ name: none }]\n');
  return {
    name: 'launcher test',
    configDir: dir,
    prometheus: path.join(dir, 'prometheus.yml'),
    alertmanager: path.join(dir, 'alertmanager.yml'),
    services: [],
    dependencies: [],
    exporters: [],
    hosts: [],
  };
}

/** The compose projects of this process still holding a container or a network. */
const projectsLeft = (): string[] =>
  ['ps --all', 'network ls'].flatMap((what) =>
    execFileSync('docker', [...what.split(' '), '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Label "${PROJECT_LABEL}"}}`], { encoding: 'utf8' })
      .split('\n')
      .filter((project) => project.startsWith(`firedrill-launchertest-${process.pid}-`)),
  );

describe('the containers stack brought up by Testcontainers', () => {
  it('keeps Alertmanager running when the Prometheus up fails (Testcontainers takes a failed up\'s whole project down)', async () => {
    const compiled = compileSystem(minimalSystem(), 1);
    const runDir = mkdtempSync(path.join(dir, 'run-'));
    const launch = { runDir, alertmanagerPort: await freePort(), prometheusPort: await freePort(), resendDelay: '1s' };
    writeAlertmanagerConfig(compiled, 'http://127.0.0.1:9/hook', runDir);
    // An image no registry here has: docker-compose's up of Prometheus fails.
    const images = { ...localImageEnvironment(), FIREDRILL_PROMETHEUS_IMAGE: 'firedrill/no-such-image:test' };
    const launcher = composeLauncher(launch, compiled, { composePath: findDockerCompose(), composeEnv: await composeEnvironment(findDockerCompose()), images });
    try {
      // No part of this system runs in a container: Alertmanager comes up alone once the parts have started.
      const starting = launcher.alertmanager();
      launcher.partsStarted!();
      const alertmanager = await starting;
      await expect(launcher.prometheus()).rejects.toThrow(/^prometheus container of launcher test did not start: /);
      const ready = await httpJson('GET', `http://127.0.0.1:${launch.alertmanagerPort}/-/ready`, { timeoutMs: 5_000 });
      expect(ready.status).toBe(200);
      expect(alertmanager.running).toBe(true);
      expect(alertmanager.unexpectedTrouble()).toBeUndefined();
    } finally {
      await launcher.close();
    }
    expect(projectsLeft()).toEqual([]);
  });
});

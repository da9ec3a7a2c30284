import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { writeCompiledSystem, type CompiledMutations, type CompiledSystem } from '../compile/compile-system.ts';
import { formatDurationMs } from '../duration.ts';
import { FaultController } from '../faults/fault-controller.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import { WebhookSink } from '../observe/webhook-sink.ts';
import { findStackBinaries } from './binaries.ts';
import { freePort } from './free-port.ts';
import { ManagedProcess } from './managed-process.ts';
import { ServiceProcess } from './service-process.ts';
import type { StartedStack } from './started-stack.ts';
import { onTeardown } from './teardown.ts';
import { waitFor } from './wait-for.ts';

/** Budget for Prometheus or Alertmanager to open storage and answer /-/ready. */
const PROCESS_READY_TIMEOUT_MS = 30_000;
/** Prometheus throttles service-discovery updates to one per 5 s, so a new target's first scrape waits for it. */
const DISCOVERY_THROTTLE_MS = 5_000;
/** Headroom for a busy 2-core machine on top of interval-derived deadlines. */
const BUSY_MACHINE_SLACK_MS = 10_000;
const READY_POLL_MS = 100;

export interface NativeStackOptions {
  readonly mutations?: CompiledMutations;
  /** Keep the run directory (configs, logs, TSDB) after stop; default: only when start fails. */
  readonly keepRunDir?: boolean;
}

/** Starts sink, services, Alertmanager, Prometheus and the fault controller on free ports of 127.0.0.1. */
export async function startNativeStack(compiled: CompiledSystem, options: NativeStackOptions = {}): Promise<StartedStack> {
  const startedAt = Date.now();
  const binaries = findStackBinaries();
  const runDir = mkdtempSync(path.join(os.tmpdir(), `firedrill-${compiled.system.name}-`));
  const faultToken = randomBytes(24).toString('hex');
  const stoppers: (() => Promise<void>)[] = [];
  const processes: ManagedProcess[] = [];
  let stopped: Promise<void> | undefined;

  const stop = (keepRunDir = options.keepRunDir ?? false) =>
    (stopped ??= (async () => {
      unregister();
      for (const stopOne of [...stoppers].reverse()) {
        try {
          await stopOne();
        } catch {
          // keep stopping the rest; each stopper is best effort by design
        }
      }
      if (!keepRunDir) rmSync(runDir, { recursive: true, force: true });
    })());
  const unregister = onTeardown(() => stop());

  try {
    const sink = await WebhookSink.start();
    stoppers.push(() => sink.stop());

    const services = new Map<string, ServiceProcess>();
    for (const service of compiled.system.services) {
      services.set(service.name, new ServiceProcess(service, await freePort(), compiled.system.configDir, runDir, faultToken));
    }
    const faults = new FaultController(services, faultToken, { system: compiled.system.name, scale: compiled.scale });
    // Faults are reverted before services stop, so a paused process can shut down.
    stoppers.push(async () => {
      for (const s of services.values()) await s.stop();
    });
    stoppers.push(async () => {
      await faults.revertAll().catch(() => undefined);
      await faults.close();
    });
    await Promise.all([...services.values()].map((s) => s.start()));
    for (const s of services.values()) if (s.process) processes.push(s.process);

    const alertmanagerPort = await freePort();
    const prometheusPort = await freePort();
    const written = writeCompiledSystem(
      compiled,
      { servicePorts: new Map([...services].map(([name, s]) => [name, s.port])), alertmanagerPort, sinkUrl: sink.url },
      runDir,
      options.mutations,
    );

    const alertmanager = new ManagedProcess({
      name: 'alertmanager',
      command: binaries.alertmanager,
      args: [
        `--config.file=${written.alertmanagerConfig}`,
        `--storage.path=${path.join(runDir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
        '--cluster.listen-address=', // no gossip port: single instance, loopback only
        '--log.level=warn',
      ],
      logFile: path.join(runDir, 'alertmanager.log'),
    });
    processes.push(alertmanager);
    stoppers.push(() => alertmanager.stop());
    const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
    const amClient = new AlertmanagerClient(alertmanagerUrl);
    await waitFor('Alertmanager /-/ready', async () => ((await amClient.ready()) ? { value: true, seen: 'ready' } : { seen: 'not ready' }), {
      timeoutMs: PROCESS_READY_TIMEOUT_MS,
      pollMs: READY_POLL_MS,
      abortIf: () => alertmanager.unexpectedExit(),
    });

    const prometheus = new ManagedProcess({
      name: 'prometheus',
      command: binaries.prometheus,
      args: [
        `--config.file=${written.prometheusConfig}`,
        `--storage.tsdb.path=${path.join(runDir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
        `--rules.alert.resend-delay=${formatDurationMs(compiled.resendDelayMs)}`,
        '--log.level=warn',
      ],
      logFile: path.join(runDir, 'prometheus.log'),
    });
    processes.push(prometheus);
    stoppers.push(() => prometheus.stop());
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    await waitUntilPrometheusIsReady(new PrometheusClient(prometheusUrl), compiled, prometheus);
    await faults.listen();

    // A service killed by a fault is an expected exit; any other death of a stack process is a crash.
    const crashReport = () => {
      for (const p of [alertmanager, prometheus, ...[...services.values()].flatMap((s) => (s.process ? [s.process] : []))]) {
        const report = p.unexpectedExit();
        if (report) return report;
      }
      return undefined;
    };
    return {
      provider: 'native',
      compiled,
      prometheusUrl,
      alertmanagerUrl,
      serviceUrls: new Map([...services].map(([name, s]) => [name, s.baseUrl])),
      faults,
      faultToken,
      sink,
      runDir,
      readyMs: Date.now() - startedAt,
      crashReport,
      stop: () => stop(),
      [Symbol.asyncDispose]: () => stop(),
    };
  } catch (error) {
    await stop(true);
    throw error;
  }
}

async function waitUntilPrometheusIsReady(client: PrometheusClient, compiled: CompiledSystem, prometheus: ManagedProcess): Promise<void> {
  const abortIf = () => prometheus.unexpectedExit();
  await waitFor('Prometheus /-/ready', async () => ((await client.ready()) ? { value: true, seen: 'ready' } : { seen: 'not ready' }), {
    timeoutMs: PROCESS_READY_TIMEOUT_MS,
    pollMs: READY_POLL_MS,
    abortIf,
  });

  const expectedRules = compiled.ruleFiles.reduce((n, f) => n + f.groups.length, 0);
  await waitFor(
    `Prometheus to load ${expectedRules} rule groups`,
    async () => {
      const groups = await client.ruleGroups();
      return groups.length >= expectedRules ? { value: true, seen: '' } : { seen: `${groups.length} groups loaded` };
    },
    { timeoutMs: 4 * compiled.evaluationIntervalMs + BUSY_MACHINE_SLACK_MS, pollMs: READY_POLL_MS, abortIf },
  );

  const expectedJobs = compiled.system.services.map((s) => s.job);
  await waitFor(
    `every scrape target up (${expectedJobs.join(', ')})`,
    async () => {
      const targets = await client.targets();
      const up = targets.filter((t) => t.health === 'up').map((t) => t.job);
      const allUp = expectedJobs.every((job) => up.includes(job));
      const seen = targets.map((t) => `${t.job}=${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join(', ') || 'no targets';
      return allUp ? { value: true, seen } : { seen };
    },
    { timeoutMs: DISCOVERY_THROTTLE_MS + 5 * compiled.scrapeIntervalMs + BUSY_MACHINE_SLACK_MS, pollMs: READY_POLL_MS, abortIf },
  );

  await waitFor(
    'Prometheus to discover Alertmanager',
    async () => {
      const managers = await client.alertmanagers();
      return managers.length > 0 ? { value: true, seen: managers.join(', ') } : { seen: 'no Alertmanager' };
    },
    { timeoutMs: DISCOVERY_THROTTLE_MS + BUSY_MACHINE_SLACK_MS, pollMs: READY_POLL_MS, abortIf },
  );
}

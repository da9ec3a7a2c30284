import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { writeCompiledSystem, type CompiledSystem } from '../compile/compile-system.ts';
import { formatDurationMs } from '../duration.ts';
import { FiredrillError } from '../errors.ts';
import { FaultController } from '../faults/fault-controller.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import { WebhookSink } from '../observe/webhook-sink.ts';
import { findStackBinaries } from './binaries.ts';
import { freePort, releasePort } from './free-port.ts';
import { ManagedProcess, waitUntilServing } from './managed-process.ts';
import { usageOf } from './process-usage.ts';
import { ServiceProcess } from './service-process.ts';
import type { StackProvider, StackStartOptions } from './stack-provider.ts';
import type { StartedStack } from './started-stack.ts';
import { onTeardown } from './teardown.ts';
import { waitFor, type Probe } from './wait-for.ts';

/** Budget for Prometheus or Alertmanager to open storage and answer /-/ready. */
const PROCESS_READY_TIMEOUT_MS = 30_000;
/**
 * Prometheus 2.42 hands new targets (static_configs included) and Alertmanagers to its scrape and
 * notify managers on a fixed 5 s tick, with no flag to change it: no fresh Prometheus scrapes sooner.
 */
const DISCOVERY_THROTTLE_MS = 5_000;
/** Headroom for a busy 2-core machine on top of interval-derived deadlines. */
const BUSY_MACHINE_SLACK_MS = 10_000;
const READY_POLL_MS = 50;

const unthrottled = <T>(work: () => Promise<T>) => work();
/** Starts on fresh ports after a port was taken by another process, at most this many times. */
const PORT_ATTEMPTS = 3;

/**
 * Starts sink, services, Alertmanager, Prometheus and the fault controller on free ports of
 * 127.0.0.1. Alertmanager starts alongside the services; Prometheus starts once every service
 * answers, so that its first scrape (after its discovery tick) finds them up and no down alert
 * can go pending before the drill.
 */
export async function startNativeStack(compiled: CompiledSystem, options: StackStartOptions = {}): Promise<StartedStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(compiled, options);
    } catch (error) {
      // Another process bound one of our ports first: start again on fresh ports.
      if (!(error instanceof FiredrillError && error.code === 'PORT_TAKEN') || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(compiled: CompiledSystem, options: StackStartOptions): Promise<StartedStack> {
  const startedAt = Date.now();
  let queuedMs = 0;
  const binaries = findStackBinaries();
  const runDir = mkdtempSync(path.join(os.tmpdir(), `firedrill-${compiled.system.name}-`));
  const faultToken = randomBytes(24).toString('hex');
  const stoppers: (() => Promise<void>)[] = [];
  const processes: ManagedProcess[] = [];
  const ports: number[] = [];
  const port = async () => {
    const p = await freePort();
    ports.push(p);
    return p;
  };
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
      for (const p of ports) releasePort(p);
      if (!keepRunDir) rmSync(runDir, { recursive: true, force: true });
    })());
  const unregister = onTeardown(() => stop());

  try {
    const sink = await WebhookSink.start();
    stoppers.push(() => sink.stop());

    const services = new Map<string, ServiceProcess>();
    for (const service of compiled.system.services) {
      services.set(service.name, new ServiceProcess(service, await port(), compiled.system.configDir, runDir, faultToken));
    }
    const alertmanagerPort = await port();
    const prometheusPort = await port();
    const written = writeCompiledSystem(
      compiled,
      { servicePorts: new Map([...services].map(([name, s]) => [name, s.port])), alertmanagerPort, sinkUrl: sink.url },
      runDir,
    );
    const faults = new FaultController(services, faultToken, { system: compiled.system.name, scale: compiled.scale });
    // Faults are reverted before services stop, so a paused process can shut down.
    stoppers.push(async () => {
      await Promise.all([...services.values()].map((s) => s.stop()));
    });
    stoppers.push(async () => {
      await faults.revertAll().catch(() => undefined);
      await faults.close();
    });

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
    const throttleAskedAt = Date.now();
    await Promise.all([
      (options.throttle ?? unthrottled)(() => {
        queuedMs = Date.now() - throttleAskedAt;
        return Promise.all([...services.values()].map((s) => s.start()));
      }),
      waitUntilServing(alertmanager, alertmanagerPort, () =>
        waitFor('Alertmanager /-/ready', () => readyProbe(amClient, alertmanager, alertmanagerPort), {
          timeoutMs: PROCESS_READY_TIMEOUT_MS,
          pollMs: READY_POLL_MS,
          abortIf: () => alertmanager.unexpectedExit(),
        }),
      ),
    ]);

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
    await waitUntilPrometheusIsReady(new PrometheusClient(prometheusUrl), compiled, prometheus, prometheusPort);
    await faults.listen();

    const serviceProcesses = () => [...services.values()].flatMap((s) => (s.process ? [s.process] : []));
    // A service killed by a fault is an expected exit; any other death of a stack process is a crash.
    const crashReport = () => {
      for (const p of [alertmanager, prometheus, ...serviceProcesses()]) {
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
      readyMs: Date.now() - startedAt - queuedMs,
      queuedMs,
      crashReport,
      usage: () => usageOf([...processes, ...serviceProcesses()].flatMap((p) => (p.running && p.pid !== undefined ? [p.pid] : []))),
      stop: () => stop(),
      [Symbol.asyncDispose]: () => stop(),
    };
  } catch (error) {
    await stop(true);
    throw error;
  }
}

/** The native provider: Debian's (or $PROMETHEUS_BIN's) Prometheus and Alertmanager as local processes. */
export const nativeStackProvider: StackProvider = {
  name: 'native',
  start: startNativeStack,
};

/** /-/ready answered by the process we started, not by another run's on a port it took first. */
async function readyProbe(client: { ready(): Promise<boolean> }, process: ManagedProcess, port: number): Promise<Probe<true>> {
  if (!(await client.ready())) return { seen: 'not ready' };
  return process.ownsPort(port) ? { value: true, seen: 'ready' } : { seen: `ready, but answered by a process other than ${process.spec.name}` };
}

async function waitUntilPrometheusIsReady(client: PrometheusClient, compiled: CompiledSystem, prometheus: ManagedProcess, port: number): Promise<void> {
  const abortIf = () => prometheus.unexpectedExit();
  await waitUntilServing(prometheus, port, () =>
    waitFor('Prometheus /-/ready', () => readyProbe(client, prometheus, port), { timeoutMs: PROCESS_READY_TIMEOUT_MS, pollMs: READY_POLL_MS, abortIf }),
  );

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

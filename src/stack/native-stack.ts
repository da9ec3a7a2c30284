import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { writeAlertmanagerConfig, writePrometheusConfigTargetsLater, type CompiledSystem } from '../compile/compile-system.ts';
import { formatDurationMs } from '../duration.ts';
import { FiredrillError } from '../errors.ts';
import { FaultController } from '../faults/fault-controller.ts';
import { AlertmanagerClient } from '../observe/alertmanager-client.ts';
import { answers } from '../observe/http-json.ts';
import { moveBlocks } from './tsdb-blocks.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import { WebhookSink } from '../observe/webhook-sink.ts';
import { freePort, releasePort } from './free-port.ts';
import { waitUntilServing } from './managed-process.ts';
import type { MonitoringLaunch, MonitoringLauncher } from './monitoring-launcher.ts';
import type { PartProcess } from './stack-part.ts';
import { nativeLauncher } from './native-launcher.ts';
import { usageOf } from './process-usage.ts';
import { startSystemParts } from './system-parts.ts';
import { faultCatalogue } from '../faults/fault-catalogue.ts';
import { scrapeTargets } from '../config/resolved-system.ts';
import type { StackProvider, StackStartOptions } from './stack-provider.ts';
import { KEPT_LOGS_DIR, StackWatch, type WatchedComponent, type WatchTimings } from './stack-watch.ts';
import type { StartedStack } from './started-stack.ts';
import { trackRunDir } from './process-registry.ts';
import { announceRun } from './run-presence.ts';
import { onTeardown } from './teardown.ts';
import { waitFor, type Probe } from './wait-for.ts';

/** Budget for Prometheus or Alertmanager to open storage and answer /-/ready. */
const PROCESS_READY_TIMEOUT_MS = 30_000;
/**
 * Prometheus 2.42 hands new targets (static_configs included) and Alertmanagers to its scrape and
 * notify managers on a fixed 5 s tick, with no flag to change it: no fresh Prometheus scrapes sooner.
 */
export const DISCOVERY_THROTTLE_MS = 5_000;
/** Headroom for a busy 2-core machine on top of interval-derived deadlines. */
const BUSY_MACHINE_SLACK_MS = 10_000;
/** Headroom before a component that does not answer counts as hung. */
const HANG_SLACK_MS = 2_000;
const READY_POLL_MS = 50;

const unthrottled = <T>(work: () => Promise<T>) => work();
/** Starts on fresh ports after a port was taken by another process, at most this many times. */
const PORT_ATTEMPTS = 3;

/** Makes the launcher of one stack's Prometheus, Alertmanager and exporters, given its ports and run directory. */
export type LauncherFactory = (launch: MonitoringLaunch, compiled: CompiledSystem) => MonitoringLauncher;

/**
 * Starts sink, services, Alertmanager, Prometheus and the fault controller on free ports of
 * 127.0.0.1, Prometheus and Alertmanager by the launcher (local processes, or containers with host
 * networking). Alertmanager starts alongside the services; Prometheus starts once every service
 * answers, beside the drill's warm-up traffic, and learns its targets once that is over, so that
 * its first scrape (after its discovery tick) finds them up and warm, and no alert can go pending
 * before the drill.
 */
export async function startStack(compiled: CompiledSystem, options: StackStartOptions, makeLauncher: LauncherFactory): Promise<StartedStack> {
  // Other runs' pools fill less of the machine while this process starts stacks on it (run-presence.ts).
  announceRun();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(compiled, options, makeLauncher);
    } catch (error) {
      // Another process bound one of our ports first: start again on fresh ports.
      if (!(error instanceof FiredrillError && error.code === 'PORT_TAKEN') || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(compiled: CompiledSystem, options: StackStartOptions, makeLauncher: LauncherFactory): Promise<StartedStack> {
  const startedAt = Date.now();
  let queuedMs = 0;
  const runDir = mkdtempSync(path.join(os.tmpdir(), `firedrill-${compiled.system.name}-`));
  const tracked = trackRunDir(runDir);
  // The first failure of any part of the start ends every other wait at once.
  const startAbort = new AbortController();
  const onOuterAbort = () => startAbort.abort(new FiredrillError('ENVIRONMENT', `start of ${compiled.system.name} stopped: ${String(options.signal?.reason ?? 'interrupted')}`));
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const failing = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      startAbort.abort(error);
      throw error;
    });
  const faultToken = randomBytes(24).toString('hex');
  const stoppers: (() => Promise<void>)[] = [];
  const processes: PartProcess[] = [];
  const ports: number[] = [];
  const port = async () => {
    const p = await freePort();
    ports.push(p);
    return p;
  };
  let stopped: Promise<void> | undefined;

  const keepRunDir = options.keepRunDir ?? false;
  const stop = () =>
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
      // Off the event loop: a PostgreSQL data directory is a thousand files, and the drills still
      // running beside this stack must not wait for their removal.
      if (!keepRunDir) await rm(runDir, { recursive: true, force: true });
      tracked.release();
    })());
  const unregister = onTeardown(() => stop());

  try {
    const alertmanagerPort = await port();
    const prometheusPort = await port();
    const launch = { runDir, alertmanagerPort, prometheusPort, resendDelay: formatDurationMs(compiled.resendDelayMs) };
    const launcher = makeLauncher(launch, compiled);
    stoppers.push(() => launcher.close());
    const sink = await WebhookSink.start();
    stoppers.push(() => sink.stop());

    // Faults are reverted before any part stops, so a paused process can shut down; set up below.
    let faults: FaultController | undefined;
    const partStoppers: (() => Promise<void>)[] = [];
    stoppers.push(async () => {
      for (const stopOne of [...partStoppers].reverse()) await stopOne().catch(() => undefined);
    });
    stoppers.push(async () => {
      await faults?.revertAll().catch(() => undefined);
      await faults?.close();
    });
    writeAlertmanagerConfig(compiled, sink.url, runDir);
    const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
    const amClient = new AlertmanagerClient(alertmanagerUrl);
    const throttleAskedAt = Date.now();
    const startAlertmanager = async () => {
      const started = await launcher.alertmanager();
      processes.push(started);
      stoppers.push(() => started.stop());
      await waitUntilServing(started, alertmanagerPort, () =>
        waitFor('Alertmanager /-/ready', () => readyProbe(amClient, started, alertmanagerPort), {
          timeoutMs: PROCESS_READY_TIMEOUT_MS,
          pollMs: READY_POLL_MS,
          abortIf: () => started.unexpectedTrouble(),
          signal: startAbort.signal,
        }),
      );
      return started;
    };
    const [parts, alertmanager] = await Promise.all([
      (options.throttle ?? unthrottled)(() => {
        queuedMs = Date.now() - throttleAskedAt;
        return failing(
          startSystemParts(compiled.system, {
            runDir,
            faultToken,
            port,
            onStop: (stopPart) => partStoppers.push(stopPart),
            signal: startAbort.signal,
            scrapeFaultTargets: options.scrapeFaultTargets ?? new Set(),
            launcher,
            // A job prometheus.yml does not scrape has no timeout of its own: the shortest is the safe side.
            scrapeTimeoutMs: (job) => (compiled.prometheus.jobs.find((j) => j.job === job) ?? { scaledTimeoutMs: Math.min(...compiled.prometheus.jobs.map((j) => j.scaledTimeoutMs)) }).scaledTimeoutMs,
          }).then((started) => {
            launcher.partsStarted?.();
            return started;
          }),
        );
      }),
      failing(startAlertmanager()),
    ]);

    const { publishTargets } = writePrometheusConfigTargetsLater(compiled, { scrapeAddresses: parts.scrapeAddresses, probeTargets: parts.probeTargets, alertmanagerPort }, runDir);
    if (options.tsdbBlocks) moveBlocks(await failing(Promise.resolve(options.tsdbBlocks)), path.join(runDir, 'prometheus-data'));
    // Prometheus starts beside the warm-up, but is told its targets only once the warm-up is over,
    // so that no scrape can come before it ends (engine/warm-up.ts): its 5 s discovery tick runs
    // out meanwhile. Counting on the tick alone failed CI on a busy machine: the first scrape came
    // when 19 of a cold service's 30 slow first requests had been answered, and the rest fell in a
    // rate window.
    const warmedUp = failing(
      (async () => {
        if (options.warmUp) await options.warmUp(parts.serviceUrls, startAbort.signal);
        publishTargets();
      })(),
    );
    // Prometheus cannot have started before it was asked to: its first discovery tick comes DISCOVERY_THROTTLE_MS after this at the soonest.
    const prometheusAskedAt = Date.now();
    const launched = failing(launcher.prometheus()).then((started) => {
      processes.push(started);
      stoppers.push(() => started.stop());
      return started;
    });
    // Both settle before either failure ends the start: a Prometheus launched after the warm-up
    // failed must still be on the stoppers when they run.
    const [warmUpOutcome, launchOutcome] = await Promise.allSettled([warmedUp, launched]);
    // Either failure aborted the start (failing): its reason is the first, the cause of the other.
    if (warmUpOutcome.status === 'rejected' || launchOutcome.status === 'rejected') throw startAbort.signal.reason;
    const prometheus = launchOutcome.value;
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    // A service or Alertmanager that dies or stops while Prometheus starts ends the start at once too.
    const trouble = () => [prometheus, alertmanager, ...parts.processes()].map((p) => p.unexpectedTrouble()).find(Boolean);
    await waitUntilPrometheusIsReady(new PrometheusClient(prometheusUrl), compiled, { prometheus, port: prometheusPort, askedAt: prometheusAskedAt }, startAbort.signal, trouble, () =>
      options.onPrometheusServing?.(prometheusUrl),
    );
    options.signal?.removeEventListener('abort', onOuterAbort);
    const controller = new FaultController({ catalogue: faultCatalogue(compiled.system), drivers: parts.drivers }, faultToken, { system: compiled.system.name, scale: compiled.scale });
    faults = controller;
    await controller.listen();

    const watch = new StackWatch(
      [
        processComponent(prometheus, `${prometheusUrl}/-/healthy`),
        processComponent(alertmanager, `${alertmanagerUrl}/-/healthy`),
        // A part killed, paused or restarted by a fault is the drill's doing, not a crash or a hang.
        ...parts.watched((target) => controller.holds(target)),
      ],
      watchTimings(compiled),
      path.basename(runDir),
    );
    watch.start();
    stoppers.push(async () => watch.stop());
    return {
      provider: launcher.provider,
      compiled,
      prometheusUrl,
      alertmanagerUrl,
      serviceUrls: parts.serviceUrls,
      faults: controller,
      faultToken,
      sink,
      runDir,
      readyMs: Date.now() - startedAt - queuedMs,
      queuedMs,
      health: watch,
      usage: () => usageOf([...processes, ...parts.processes()].flatMap((p) => (p.running && p.pid !== undefined ? [p.pid] : []))),
      partPids: () => parts.pids(),
      stop: () => stop(),
      [Symbol.asyncDispose]: () => stop(),
    };
  } catch (error) {
    options.signal?.removeEventListener('abort', onOuterAbort);
    // The run directory goes; the logs an error may point at stay, beside firedrill's results.
    const kept = keepRunDir ? runDir : keepLogs(runDir);
    await stop();
    throw error instanceof FiredrillError && kept ? new FiredrillError(error.code, `${error.message}; ${keepRunDir ? 'run directory kept' : 'logs kept'}: ${kept}`, { cause: error }) : error;
  }
}

/** Copies the logs of a failed start out of its run directory; returns where they are, or undefined when there were none. */
function keepLogs(runDir: string): string | undefined {
  const logs = readdirSync(runDir).filter((f) => f.endsWith('.log') && statSync(path.join(runDir, f)).size > 0);
  if (logs.length === 0) return undefined;
  const prefix = path.join(KEPT_LOGS_DIR, path.basename(runDir));
  mkdirSync(KEPT_LOGS_DIR, { recursive: true });
  for (const log of logs) copyFileSync(path.join(runDir, log), `${prefix}-${log}`);
  return `${prefix}-*.log`;
}

/**
 * State read every evaluation interval (250 ms at least); a component that does not answer for
 * four of the slower of scrape and evaluation interval, and 3 s at least, plus headroom for a busy
 * machine, is hung. Health requests go out every quarter of that: a hang is only called after it,
 * so asking more often finds none sooner, and a service's or exporter's health request is a whole
 * metrics page (postgres_exporter queries its database for it). Asked every evaluation interval,
 * the watch cost each of them about as much as Prometheus' own scrapes.
 */
export function watchTimings(compiled: CompiledSystem): WatchTimings {
  const slowest = Math.max(compiled.scrapeIntervalMs, compiled.evaluationIntervalMs);
  const hangMs = Math.max(3_000, 4 * slowest) + HANG_SLACK_MS;
  return { pollMs: Math.max(250, compiled.evaluationIntervalMs), hangMs, probeMs: hangMs / 4 };
}

function processComponent(process: PartProcess, healthUrl: string): WatchedComponent {
  return { name: process.spec.name, logFile: process.spec.logFile, exited: () => process.troubleStory(), probe: (timeoutMs) => answers(healthUrl, timeoutMs) };
}

export function startNativeStack(compiled: CompiledSystem, options: StackStartOptions = {}): Promise<StartedStack> {
  return startStack(compiled, options, (launch) => nativeLauncher(launch));
}

/** The native provider: Debian's (or $PROMETHEUS_BIN's) Prometheus and Alertmanager as local processes. */
export const nativeStackProvider: StackProvider = {
  name: 'native',
  start: startNativeStack,
};

/** /-/ready answered by the process we started, not by another run's on a port it took first. */
async function readyProbe(client: { ready(): Promise<boolean> }, process: PartProcess, port: number): Promise<Probe<true>> {
  if (!(await client.ready())) return { seen: 'not ready' };
  return process.ownsPort(port) ? { value: true, seen: 'ready' } : { seen: `ready, but answered by a process other than ${process.spec.name}` };
}

async function waitUntilPrometheusIsReady(
  client: PrometheusClient,
  compiled: CompiledSystem,
  { prometheus, port, askedAt }: { prometheus: PartProcess; port: number; askedAt: number },
  signal: AbortSignal,
  abortIf: () => string | undefined,
  onServing: () => void,
): Promise<void> {
  await waitUntilServing(prometheus, port, () =>
    waitFor('Prometheus /-/ready', () => readyProbe(client, prometheus, port), { timeoutMs: PROCESS_READY_TIMEOUT_MS, pollMs: READY_POLL_MS, abortIf, signal }),
  );
  onServing();

  const expectedRules = compiled.ruleFiles.reduce((n, f) => n + f.groups.length, 0);
  await waitFor(
    `Prometheus to load ${expectedRules} rule groups`,
    async () => {
      const groups = await client.ruleGroups();
      return groups.length >= expectedRules ? { value: true, seen: '' } : { seen: `${groups.length} groups loaded` };
    },
    { timeoutMs: 4 * compiled.evaluationIntervalMs + BUSY_MACHINE_SLACK_MS, pollMs: READY_POLL_MS, abortIf, signal },
  );

  const expectedJobs = scrapeTargets(compiled.system).map((t) => t.job);
  await waitFor(
    `every scrape target up (${expectedJobs.join(', ')})`,
    async () => {
      const targets = await client.targets();
      const up = targets.filter((t) => t.health === 'up').map((t) => t.job);
      const allUp = expectedJobs.every((job) => up.includes(job));
      const seen = targets.map((t) => `${t.job}=${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join(', ') || 'no targets';
      return allUp ? { value: true, seen } : { seen };
    },
    {
      timeoutMs: DISCOVERY_THROTTLE_MS + 5 * compiled.scrapeIntervalMs + BUSY_MACHINE_SLACK_MS,
      pollMs: READY_POLL_MS,
      abortIf,
      signal,
      // Asked every poll from the start, Prometheus rendered its targets about 75 times a stack
      // (both processes' CPU) before any could be up.
      probeFrom: { atMs: askedAt + DISCOVERY_THROTTLE_MS, why: `no target is scraped before Prometheus' first discovery tick, ${formatDurationMs(DISCOVERY_THROTTLE_MS)} after it starts` },
    },
  );

  await waitFor(
    'Prometheus to discover Alertmanager',
    async () => {
      const managers = await client.alertmanagers();
      return managers.length > 0 ? { value: true, seen: managers.join(', ') } : { seen: 'no Alertmanager' };
    },
    { timeoutMs: DISCOVERY_THROTTLE_MS + BUSY_MACHINE_SLACK_MS, pollMs: READY_POLL_MS, abortIf, signal },
  );
}

import path from 'node:path';
import type { ResolvedExporter, ResolvedService } from '../config/resolved-system.ts';
import type { ServiceLaunch } from './service-process.ts';
import type { ExporterSource } from './exporters/exporter-invocation.ts';
import type { PartProcess, StackPart } from './stack-part.ts';
import type { StackProviderName } from './started-stack.ts';

/** Where a stack's Prometheus and Alertmanager listen and keep their files, and how often Prometheus resends. */
export interface MonitoringLaunch {
  readonly runDir: string;
  readonly alertmanagerPort: number;
  readonly prometheusPort: number;
  /** Prometheus' --rules.alert.resend-delay, as a Prometheus duration. */
  readonly resendDelay: string;
}

/** One exporter of a stack: what it reads, and the loopback port it serves on. */
export interface ExporterLaunch {
  readonly exporter: ResolvedExporter;
  readonly source: ExporterSource;
  readonly port: number;
}

/**
 * Starts what a stack runs in the provider's way (Prometheus, Alertmanager, the exporters, and the
 * services started from a command): one launcher per stack, made with the stack's ports and run
 * directory, closed after all of it stopped. Databases, proxies and compose services start the
 * same on every provider.
 */
export interface MonitoringLauncher {
  readonly provider: StackProviderName;
  alertmanager(): Promise<PartProcess>;
  prometheus(): Promise<PartProcess>;
  /** An exporter, not started yet: `start()` it; process faults act on it as on any part. */
  exporter(launch: ExporterLaunch): StackPart;
  /** A service started from its command (a local process, or a container of its `image`), not started yet. */
  service(service: ResolvedService, launch: ServiceLaunch): StackPart;
  /**
   * Every part of the stack has started. A launcher that starts Alertmanager with the parts (in
   * one compose `up`) starts it now if none of them did: no part ran in a container.
   */
  partsStarted?(): void;
  /** Releases what the launcher itself holds (a compose project with everything in it). */
  close(): Promise<void>;
}

// The same arguments on every provider (docker-compose.test.yml spells them out for containers;
// a test holds the two to each other), so that a drill behaves the same wherever it runs.

export function alertmanagerArgs(launch: MonitoringLaunch): string[] {
  return [
    `--config.file=${path.join(launch.runDir, 'alertmanager.yml')}`,
    `--storage.path=${path.join(launch.runDir, 'alertmanager-data')}`,
    `--web.listen-address=127.0.0.1:${launch.alertmanagerPort}`,
    '--cluster.listen-address=', // no gossip port: single instance, loopback only
    '--log.level=warn',
  ];
}

export function prometheusArgs(launch: MonitoringLaunch): string[] {
  return [
    `--config.file=${path.join(launch.runDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(launch.runDir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${launch.prometheusPort}`,
    `--rules.alert.resend-delay=${launch.resendDelay}`,
    '--log.level=warn',
  ];
}

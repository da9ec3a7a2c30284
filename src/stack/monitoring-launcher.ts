import path from 'node:path';
import type { StackProviderName } from './started-stack.ts';

/** Where a stack's Prometheus and Alertmanager listen and keep their files, and how often Prometheus resends. */
export interface MonitoringLaunch {
  readonly runDir: string;
  readonly alertmanagerPort: number;
  readonly prometheusPort: number;
  /** Prometheus' --rules.alert.resend-delay, as a Prometheus duration. */
  readonly resendDelay: string;
}

/**
 * Prometheus or Alertmanager as a stack runs it: a local process, or a container followed by a
 * local process. Everything the stack asks of it while starting and watching.
 */
export interface MonitoringProcess {
  readonly spec: { readonly name: string; readonly logFile: string };
  /** The process the port belongs to (a container's main process, seen from this host). */
  readonly pid: number | undefined;
  readonly running: boolean;
  troubleStory(): string | undefined;
  unexpectedExit(): string | undefined;
  unexpectedTrouble(): string | undefined;
  ownsPort(port: number): boolean;
  stop(): Promise<void>;
}

/** Starts a stack's Prometheus and Alertmanager: one launcher per stack, closed after both are stopped. */
export interface MonitoringLauncher {
  readonly provider: StackProviderName;
  alertmanager(launch: MonitoringLaunch): Promise<MonitoringProcess>;
  prometheus(launch: MonitoringLaunch): Promise<MonitoringProcess>;
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

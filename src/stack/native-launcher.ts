import path from 'node:path';
import { findStackBinaries } from './binaries.ts';
import { ManagedProcess } from './managed-process.ts';
import { alertmanagerArgs, prometheusArgs, type MonitoringLauncher } from './monitoring-launcher.ts';

/** Debian's (or $PROMETHEUS_BIN's, $ALERTMANAGER_BIN's) Prometheus and Alertmanager as local processes. */
export function nativeLauncher(): MonitoringLauncher {
  const binaries = findStackBinaries();
  return {
    provider: 'native',
    alertmanager: async (launch) =>
      new ManagedProcess({ name: 'alertmanager', command: binaries.alertmanager, args: alertmanagerArgs(launch), logFile: path.join(launch.runDir, 'alertmanager.log') }),
    prometheus: async (launch) =>
      new ManagedProcess({ name: 'prometheus', command: binaries.prometheus, args: prometheusArgs(launch), logFile: path.join(launch.runDir, 'prometheus.log') }),
    close: async () => undefined,
  };
}

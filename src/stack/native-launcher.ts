import path from 'node:path';
import { findStackBinaries } from './binaries.ts';
import { goProgramEnv } from './go-program-env.ts';
import { ManagedProcess } from './managed-process.ts';
import { exporterProcess } from './exporters/exporter-process.ts';
import { serviceProcess } from './service-process.ts';
import { alertmanagerArgs, prometheusArgs, type MonitoringLaunch, type MonitoringLauncher } from './monitoring-launcher.ts';

/** Debian's (or $PROMETHEUS_BIN's, $ALERTMANAGER_BIN's, $NODE_EXPORTER_BIN's, ...) Prometheus, Alertmanager and exporters as local processes. */
export function nativeLauncher(launch: MonitoringLaunch): MonitoringLauncher {
  const binaries = findStackBinaries();
  return {
    provider: 'native',
    alertmanager: async () =>
      new ManagedProcess({ name: 'alertmanager', command: binaries.alertmanager, args: alertmanagerArgs(launch), env: goProgramEnv(), logFile: path.join(launch.runDir, 'alertmanager.log') }),
    prometheus: async () =>
      new ManagedProcess({ name: 'prometheus', command: binaries.prometheus, args: prometheusArgs(launch), env: goProgramEnv(), logFile: path.join(launch.runDir, 'prometheus.log') }),
    exporter: ({ exporter, source, port }) => exporterProcess(exporter, source, { port, runDir: launch.runDir }),
    service: (service, serviceLaunch) => serviceProcess(service, serviceLaunch),
    close: async () => undefined,
  };
}

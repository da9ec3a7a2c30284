import type { ResolvedExporter } from '../../config/resolved-system.ts';
import { findTool } from '../dependencies/dependency-binaries.ts';
import { goProgramEnv } from '../go-program-env.ts';
import { RestartableProcess } from '../restartable-process.ts';
import { exporterInvocation, exporterLandingPage, exporterLogFile, type ExporterSource } from './exporter-invocation.ts';

const BINARIES = {
  node: { variable: 'NODE_EXPORTER_BIN', names: ['prometheus-node-exporter', 'node_exporter'], debianPackage: 'prometheus-node-exporter' },
  postgres: { variable: 'POSTGRES_EXPORTER_BIN', names: ['prometheus-postgres-exporter', 'postgres_exporter'], debianPackage: 'prometheus-postgres-exporter' },
  redis: { variable: 'REDIS_EXPORTER_BIN', names: ['prometheus-redis-exporter', 'redis_exporter'], debianPackage: 'prometheus-redis-exporter' },
  blackbox: { variable: 'BLACKBOX_EXPORTER_BIN', names: ['prometheus-blackbox-exporter', 'blackbox_exporter'], debianPackage: 'prometheus-blackbox-exporter' },
} as const;

/** blackbox_exporter's module when the user names no config: an HTTP GET expecting a 2xx, over IPv4. */
export const DEFAULT_BLACKBOX_MODULES = `modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
`;

/** The exporter's binary, found before anything starts. */
export function exporterBinary(type: ResolvedExporter['type']): string {
  const { variable, names, debianPackage } = BINARIES[type];
  return findTool(variable, names, debianPackage);
}

/** A Debian exporter as a local process on a loopback port, reading what the stack runs. */
export function exporterProcess(exporter: ResolvedExporter, source: ExporterSource, options: { port: number; runDir: string }): RestartableProcess {
  const command = exporterBinary(exporter.type);
  const { args, env } = exporterInvocation(exporter, source, options.port);
  return new RestartableProcess({
    name: `exporter ${exporter.name}`,
    port: options.port,
    launch: () => ({ name: `exporter ${exporter.name}`, command, args, env: goProgramEnv({ ...process.env, ...env }), logFile: exporterLogFile(options.runDir, exporter) }),
    probe: () => exporterLandingPage(options.port),
  });
}

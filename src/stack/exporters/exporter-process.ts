import path from 'node:path';
import type { ResolvedExporter } from '../../config/resolved-system.ts';
import { httpJson } from '../../observe/http-json.ts';
import { findTool } from '../dependencies/dependency-binaries.ts';
import { RestartableProcess } from '../restartable-process.ts';

/** What an exporter reads, resolved to this stack's ports and files. */
export interface ExporterSource {
  /** node: the simulated host's flags (paths and collectors). */
  readonly nodeExporterArgs?: readonly string[];
  /** postgres: a DSN straight to the server. */
  readonly postgresDsn?: string;
  /** redis: the server's port. */
  readonly redisPort?: number;
  /** blackbox: its config file (the user's, or the default http_2xx module written into the run directory). */
  readonly blackboxConfig?: string;
}

const BINARIES = {
  node: { variable: 'NODE_EXPORTER_BIN', names: ['prometheus-node-exporter', 'node_exporter'], debianPackage: 'prometheus-node-exporter' },
  postgres: { variable: 'POSTGRES_EXPORTER_BIN', names: ['prometheus-postgres-exporter', 'postgres_exporter'], debianPackage: 'prometheus-postgres-exporter' },
  redis: { variable: 'REDIS_EXPORTER_BIN', names: ['prometheus-redis-exporter', 'redis_exporter'], debianPackage: 'prometheus-redis-exporter' },
  blackbox: { variable: 'BLACKBOX_EXPORTER_BIN', names: ['prometheus-blackbox-exporter', 'blackbox_exporter'], debianPackage: 'prometheus-blackbox-exporter' },
} as const;

/**
 * A probe times out at the scrape timeout Prometheus sends minus this offset (blackbox_exporter's
 * default is 0.5 s, longer than a compressed scrape timeout): probes of a service on this machine
 * answer in milliseconds.
 */
const BLACKBOX_TIMEOUT_OFFSET_S = 0.05;

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

/**
 * A Debian exporter on a loopback port, reading what the stack runs. Ready once its landing page
 * answers: /metrics would wait on what it reads, and a restarted exporter of a paused database must
 * still count as up (its scrapes then fail, which is the drill's point).
 */
export function exporterProcess(exporter: ResolvedExporter, source: ExporterSource, options: { port: number; runDir: string }): RestartableProcess {
  const command = exporterBinary(exporter.type);
  const listen = `--web.listen-address=127.0.0.1:${options.port}`;
  const { args, env } = exporterInvocation(exporter, source, listen);
  const landingUrl = `http://127.0.0.1:${options.port}/`;
  return new RestartableProcess({
    name: `exporter ${exporter.name}`,
    port: options.port,
    launch: () => ({ name: `exporter ${exporter.name}`, command, args, env: { ...process.env, ...env }, logFile: path.join(options.runDir, `exporter-${exporter.name}.log`) }),
    probe: async () => {
      const { status } = await httpJson('GET', landingUrl, { timeoutMs: 2_000 });
      return status === 200 ? { value: true, seen: 'HTTP 200' } : { seen: `HTTP ${status}` };
    },
  });
}

function exporterInvocation(exporter: ResolvedExporter, source: ExporterSource, listen: string): { args: string[]; env: Record<string, string> } {
  switch (exporter.type) {
    case 'node':
      return { args: [listen, ...(source.nodeExporterArgs ?? [])], env: {} };
    case 'postgres':
      return {
        args: [listen, ...(exporter.queries ? [`--extend.query-path=${exporter.queries}`] : [])],
        env: { DATA_SOURCE_NAME: source.postgresDsn ?? '' },
      };
    case 'redis':
      return { args: [listen, `--redis.addr=redis://127.0.0.1:${source.redisPort}`], env: {} };
    case 'blackbox':
      return { args: [listen, `--config.file=${source.blackboxConfig}`, `--timeout-offset=${BLACKBOX_TIMEOUT_OFFSET_S}`], env: {} };
  }
}

import type { DependencyConfig, ExporterConfig, HostConfig, ServiceConfig, SystemConfig } from './define-config.ts';

export interface ResolvedService extends ServiceConfig {
  readonly name: string;
  readonly metricsPath: string;
  /** null for a service without a fault endpoint: it is drilled from outside only. */
  readonly faultPath: string | null;
  /** Dependencies its environment names (`{{db}}`): each is reached through a fault proxy. */
  readonly uses: readonly string[];
}

export type ResolvedDependency = DependencyConfig & { readonly name: string };
export type ResolvedExporter = ExporterConfig & {
  readonly name: string;
  readonly metricsPath: '/metrics';
  /** Wall milliseconds its scrape can take at worst, kept as the job's scrape timeout whatever the scale. */
  readonly minScrapeTimeoutMs?: number;
};
export type ResolvedHost = HostConfig & { readonly name: string; readonly memoryBytes: number; readonly cpus: number };

/** A system with every path made absolute and every cross-reference checked. */
export interface ResolvedSystem extends Omit<SystemConfig, 'services' | 'dependencies' | 'exporters' | 'hosts'> {
  readonly name: string;
  readonly configDir: string;
  readonly services: readonly ResolvedService[];
  readonly dependencies: readonly ResolvedDependency[];
  readonly exporters: readonly ResolvedExporter[];
  readonly hosts: readonly ResolvedHost[];
}

/** Something Prometheus scrapes: a service or an exporter, under the job it replaces. */
export interface ScrapeTarget {
  readonly name: string;
  readonly job: string;
  readonly metricsPath: string;
  readonly minScrapeTimeoutMs?: number;
}

/** The parts an exporter reads: its host, its dependency, or the services it probes. */
export function exporterSources(exporter: ResolvedExporter): string[] {
  switch (exporter.type) {
    case 'node':
      return [exporter.host];
    case 'blackbox':
      return [...new Set(Object.values(exporter.probes))];
    default:
      return [exporter.dependency];
  }
}

/** Services and exporters, in that order: every target Prometheus scrapes. */
export function scrapeTargets(system: Pick<ResolvedSystem, 'services' | 'exporters'>): ScrapeTarget[] {
  return [...system.services, ...system.exporters];
}

/** `{{db}}`, `{{db.host}}`, `{{db.port}}` in an environment value. */
export const DEPENDENCY_REFERENCE = /\{\{\s*([a-z][a-z0-9-]*)(?:\.(host|port))?\s*\}\}/g;
/** Anything written like a reference (`{{pricing_api}}`, `{{db.addr}}`): a mistyped one is caught by its closeness to a dependency name. */
export const REFERENCE_LIKE = /\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/g;

/** Replaces every dependency reference in `value` with the address the service must use. */
export function expandDependencyReferences(value: string, addressOf: (dependency: string) => { host: string; port: number }): string {
  return value.replace(DEPENDENCY_REFERENCE, (_, name: string, part: 'host' | 'port' | undefined) => {
    const { host, port } = addressOf(name);
    return part === 'host' ? host : part === 'port' ? String(port) : `${host}:${port}`;
  });
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { badInput } from '../errors.ts';
import type { SystemConfig } from './define-config.ts';
import { DEPENDENCY_REFERENCE, REFERENCE_LIKE, type ResolvedDependency, type ResolvedExporter, type ResolvedHost, type ResolvedService, type ResolvedSystem } from './resolved-system.ts';
import { resolveCommand } from './which.ts';
import { checkComposeService } from './compose-service-check.ts';
import { closest } from './describe-issues.ts';

const DEFAULT_HOST_CPUS = 2;
const DEFAULT_HOST_MEMORY = '8GiB';
/**
 * postgres_exporter sleeps one second before it answers a scrape when it cannot reach PostgreSQL
 * (a fixed retry in its code), so pg_up 0 is only ever seen by a scrape that waits that long: its
 * job keeps a scrape timeout of 1.25 s wall whatever the scale.
 */
const EXPORTER_SCRAPE_FLOORS_MS: Partial<Record<ResolvedExporter['type'], number>> = { postgres: 1_250 };
const PART_KINDS = { services: 'service', dependencies: 'dependency', exporters: 'exporter', hosts: 'host' } as const;
const SIZE_UNITS: Readonly<Record<string, number>> = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

/** Resolves paths against the config file's directory and checks every reference between the system's parts. */
export function resolveSystem(name: string, system: SystemConfig, dir: string, file: string): ResolvedSystem {
  const at = (field: string) => `${path.basename(file)}: systems.${name}.${field}`;
  const existing = (field: string, relative: string) => {
    const absolute = path.resolve(dir, relative);
    if (!existsSync(absolute)) throw badInput(`${at(field)}: ${relative} does not exist`);
    return absolute;
  };

  // Faults, traffic and env references name these parts, so one name means one part.
  const owners = new Map<string, string>();
  const claim = (partName: string, section: keyof typeof PART_KINDS) => {
    const other = owners.get(partName);
    if (other) throw badInput(`${at(`${section}.${partName}`)}: the name '${partName}' is already used by ${other} '${partName}'; give every service, dependency, exporter and host its own name`);
    owners.set(partName, PART_KINDS[section]);
  };
  const jobs = new Map<string, string>();
  const claimJob = (job: string, field: string, partName: string) => {
    const other = jobs.get(job);
    if (other) throw badInput(`${at(field)}: job '${job}' is already mapped to '${other}'`);
    jobs.set(job, partName);
  };

  const dependencies = Object.entries(system.dependencies ?? {}).map(([depName, dep]): ResolvedDependency => {
    claim(depName, 'dependencies');
    if (dep.type === 'postgres') {
      return { ...dep, name: depName, ...(dep.init ? { init: dep.init.map((f, i) => existing(`dependencies.${depName}.init[${i}]`, f)) } : {}) };
    }
    return { ...dep, name: depName };
  });
  const hosts = Object.entries(system.hosts ?? {}).map(([hostName, host]): ResolvedHost => {
    claim(hostName, 'hosts');
    return { ...host, name: hostName, cpus: host.cpus ?? DEFAULT_HOST_CPUS, memoryBytes: parseSize(host.memory ?? DEFAULT_HOST_MEMORY) };
  });
  const exporters = Object.entries(system.exporters ?? {}).map(([exporterName, exporter]): ResolvedExporter => {
    claim(exporterName, 'exporters');
    claimJob(exporter.job, `exporters.${exporterName}.job`, exporterName);
    if (exporter.type === 'node' && !hosts.some((h) => h.name === exporter.host)) {
      throw badInput(`${at(`exporters.${exporterName}.host`)}: no host '${exporter.host}'; declare it under hosts (known: ${hosts.map((h) => h.name).join(', ') || 'none'})`);
    }
    if (exporter.type === 'blackbox') {
      const services = Object.keys(system.services);
      for (const [target, service] of Object.entries(exporter.probes)) {
        if (!services.includes(service)) throw badInput(`${at(`exporters.${exporterName}.probes`)}: '${target}' probes '${service}', which is not a service of this system (known: ${services.join(', ')})`);
        if (!isHttpUrl(target)) {
          throw badInput(`${at(`exporters.${exporterName}.probes`)}: '${target}' is not an http(s) URL; write the probe target as your prometheus.yml does, e.g. http://${service}:8080/health`);
        }
      }
    } else if (exporter.type !== 'node') {
      const dep = dependencies.find((d) => d.name === exporter.dependency);
      if (dep?.type !== exporter.type) {
        const managed = dependencies.filter((d) => d.type === exporter.type).map((d) => d.name);
        throw badInput(`${at(`exporters.${exporterName}.dependency`)}: no ${exporter.type} dependency '${exporter.dependency}'; a ${exporter.type} exporter reads a ${exporter.type} that firedrill starts (known: ${managed.join(', ') || 'none'})`);
      }
    }
    const queries =
      exporter.type === 'postgres' && exporter.queries
        ? { queries: existing(`exporters.${exporterName}.queries`, exporter.queries) }
        : exporter.type === 'blackbox' && exporter.modules
          ? { modules: existing(`exporters.${exporterName}.modules`, exporter.modules) }
          : {};
    const floor = EXPORTER_SCRAPE_FLOORS_MS[exporter.type];
    return { ...exporter, ...queries, name: exporterName, metricsPath: '/metrics', ...(floor === undefined ? {} : { minScrapeTimeoutMs: floor }) };
  });

  const services = Object.entries(system.services).map(([serviceName, service]): ResolvedService => {
    claim(serviceName, 'services');
    claimJob(service.job, `services.${serviceName}.job`, serviceName);
    if ((service.command === undefined) === (service.compose === undefined)) {
      throw badInput(`${at(`services.${serviceName}`)}: give exactly one of command (a process firedrill starts) or compose (a service of your compose file)`);
    }
    if (service.image !== undefined && service.command === undefined) {
      throw badInput(`${at(`services.${serviceName}.image`)}: an image runs the service's command; give command too, or drop image (a compose service names its image in its compose file)`);
    }
    // In an image, the command is that image's program: this machine need not have it.
    if (service.command && service.image === undefined) {
      const command = service.command[0]!;
      if (!resolveCommand(command, dir)) {
        throw badInput(`${at(`services.${serviceName}.command`)}: command not found: ${command}; ${command.includes('/') ? `no executable file at ${path.resolve(dir, command)}` : 'install it or put its directory on PATH'}`);
      }
    }
    const compose = service.compose && { ...service.compose, file: existing(`services.${serviceName}.compose.file`, service.compose.file) };
    if (compose) checkComposeService(compose, at(`services.${serviceName}.compose`));
    const faultPath = service.faultPath === undefined ? (service.faults ? '/__fault' : null) : service.faultPath;
    if (service.faults && faultPath === null) throw badInput(`${at(`services.${serviceName}.faults`)}: faults need a fault endpoint; set faultPath or drop faults (outside faults need none)`);
    const uses = new Set<string>();
    for (const [variable, value] of Object.entries(service.env ?? {})) {
      const mistyped = mistypedReference(value, dependencies.map((d) => d.name));
      if (mistyped) throw badInput(`${at(`services.${serviceName}.env.${variable}`)}: ${mistyped}`);
      for (const match of value.matchAll(DEPENDENCY_REFERENCE)) {
        const dep = match[1]!;
        if (!dependencies.some((d) => d.name === dep)) {
          throw badInput(`${at(`services.${serviceName}.env.${variable}`)}: {{${dep}}} names no dependency; declare it under dependencies (known: ${dependencies.map((d) => d.name).join(', ') || 'none'})`);
        }
        uses.add(dep);
      }
    }
    if (compose && uses.size > 0) {
      throw badInput(`${at(`services.${serviceName}.env`)}: a compose service cannot reach dependencies through firedrill's proxies ({{${[...uses][0]}}}); give it its dependencies in its compose file`);
    }
    return { ...service, ...(compose ? { compose } : {}), name: serviceName, metricsPath: service.metricsPath ?? '/metrics', faultPath, uses: [...uses] };
  });
  for (const dep of dependencies) {
    if (dep.type !== 'http' || dep.service === undefined) continue;
    const upstream = services.find((s) => s.name === dep.service);
    if (!upstream) throw badInput(`${at(`dependencies.${dep.name}.service`)}: no service '${dep.service}'; known: ${services.map((s) => s.name).join(', ')}`);
    if (upstream.uses.includes(dep.name)) throw badInput(`${at(`dependencies.${dep.name}.service`)}: service '${dep.service}' would reach itself through '${dep.name}'`);
  }

  return {
    ...system,
    name,
    configDir: dir,
    prometheus: existing('prometheus', system.prometheus),
    alertmanager: existing('alertmanager', system.alertmanager),
    contract: system.contract === undefined ? undefined : existing('contract', system.contract),
    dashboards: system.dashboards === undefined ? undefined : existing('dashboards', system.dashboards),
    services,
    dependencies,
    exporters,
    hosts,
  };
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(KiB|MiB|GiB|TiB)$/.exec(text)!;
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!]!);
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

/**
 * A `{{...}}` in an environment value that is meant for a dependency but is none firedrill expands
 * (`{{pricing_api}}` for `pricing-api`, `{{db.addr}}`), said as the fix; undefined when there is
 * none. A template of the service's own (`{{user}}`, `{{.Name}}`, `{{end}}`) names no dependency and
 * is left to it.
 */
function mistypedReference(value: string, dependencies: readonly string[]): string | undefined {
  const exact = new RegExp(`^${DEPENDENCY_REFERENCE.source}$`);
  for (const [reference] of value.matchAll(REFERENCE_LIKE)) {
    if (exact.test(reference)) continue;
    const [name, ...parts] = reference.slice(2, -2).trim().split('.');
    const forms = (dep: string) => `{{${dep}}}, {{${dep}.host}} or {{${dep}.port}}`;
    if (dependencies.includes(name!)) return `${reference}: a dependency reference is ${forms(name!)}, not .${parts.join('.')}`;
    const meant = closest(name!, dependencies);
    if (meant) return `${reference} is no dependency reference (did you mean dependency '${meant}': ${forms(meant)}?)`;
  }
  return undefined;
}

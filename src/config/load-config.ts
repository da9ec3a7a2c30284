import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { badInput } from '../errors.ts';
import { configSchema, describeZodIssues } from './config-schema.ts';
import { describeLoadError } from './load-error.ts';
import { resolveCommand } from './which.ts';
import type { FiredrillConfig, ServiceConfig, SystemConfig } from './define-config.ts';

export const DEFAULT_CONFIG_FILE = 'firedrill.config.ts';

export interface ResolvedService extends ServiceConfig {
  readonly name: string;
  readonly metricsPath: string;
  readonly faultPath: string | null;
}

/** A system with every path made absolute. */
export interface ResolvedSystem extends Omit<SystemConfig, 'services'> {
  readonly name: string;
  readonly configDir: string;
  readonly services: readonly ResolvedService[];
}

export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly systems: readonly ResolvedSystem[];
  readonly scenariosDir: string;
}

/** Imports and validates `firedrill.config.ts` (TypeScript is loaded through tsx by the CLI). */
export async function loadConfig(file = DEFAULT_CONFIG_FILE): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) {
    throw badInput(`${file}: config file not found; run firedrill from the project root or pass --config <file>`);
  }
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(absolute).href)) as { default?: unknown }).default;
  } catch (error) {
    throw badInput(describeLoadError(error, file));
  }
  return resolveConfig(exported, absolute);
}

export function resolveConfig(exported: unknown, file: string): LoadedConfig {
  const parsed = configSchema.safeParse(exported);
  if (!parsed.success) throw badInput(`${path.basename(file)}: ${describeZodIssues(parsed.error)}`);
  const config: FiredrillConfig = parsed.data;
  const dir = path.dirname(file);
  const systems = Object.entries(config.systems).map(([name, system]) => resolveSystem(name, system, dir, file));
  return { file, dir, systems, scenariosDir: path.resolve(dir, config.scenarios) };
}

function resolveSystem(name: string, system: SystemConfig, dir: string, file: string): ResolvedSystem {
  const at = (field: string) => `${path.basename(file)}: systems.${name}.${field}`;
  const existing = (field: string, relative: string) => {
    const absolute = path.resolve(dir, relative);
    if (!existsSync(absolute)) throw badInput(`${at(field)}: ${relative} does not exist`);
    return absolute;
  };
  const jobs = new Map<string, string>();
  const services = Object.entries(system.services).map(([serviceName, service]): ResolvedService => {
    const other = jobs.get(service.job);
    if (other) throw badInput(`${at(`services.${serviceName}.job`)}: job '${service.job}' is already mapped to service '${other}'`);
    jobs.set(service.job, serviceName);
    const command = service.command[0]!;
    if (!resolveCommand(command, dir)) {
      throw badInput(`${at(`services.${serviceName}.command`)}: command not found: ${command}; ${command.includes('/') ? `no executable file at ${path.resolve(dir, command)}` : 'install it or put its directory on PATH'}`);
    }
    return {
      ...service,
      name: serviceName,
      metricsPath: service.metricsPath ?? '/metrics',
      faultPath: service.faultPath === undefined ? '/__fault' : service.faultPath,
    };
  });
  return {
    ...system,
    name,
    configDir: dir,
    prometheus: existing('prometheus', system.prometheus),
    alertmanager: existing('alertmanager', system.alertmanager),
    contract: system.contract === undefined ? undefined : existing('contract', system.contract),
    services,
  };
}

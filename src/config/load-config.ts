import { existsSync } from 'node:fs';
import path from 'node:path';
import { badInput } from '../errors.ts';
import { configSchema } from './config-schema.ts';
import { describeZodIssues } from './describe-issues.ts';
import { importDefault } from './import-default.ts';
import { describeLoadError } from './load-error.ts';
import type { FiredrillConfig } from './define-config.ts';
import { resolveSystem } from './resolve-system.ts';
import type { ResolvedSystem } from './resolved-system.ts';

export type { ResolvedDependency, ResolvedExporter, ResolvedHost, ResolvedService, ResolvedSystem, ScrapeTarget } from './resolved-system.ts';

export const DEFAULT_CONFIG_FILE = 'firedrill.config.ts';

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
    exported = await importDefault(absolute);
  } catch (error) {
    throw badInput(describeLoadError(error, file));
  }
  return resolveConfig(exported, absolute);
}

export function resolveConfig(exported: unknown, file: string): LoadedConfig {
  const parsed = configSchema.safeParse(exported);
  if (!parsed.success) throw badInput(`${path.basename(file)}: ${describeZodIssues(parsed.error, configSchema, exported)}`);
  const config: FiredrillConfig = parsed.data;
  const dir = path.dirname(file);
  const systems = Object.entries(config.systems).map(([name, system]) => resolveSystem(name, system, dir, file));
  return { file, dir, systems, scenariosDir: path.resolve(dir, config.scenarios) };
}

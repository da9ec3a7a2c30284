import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ScaleRequest } from '../compile/compile-system.ts';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.ts';
import { describeError } from '../errors.ts';
import { parseShard, type Shard } from '../scenario/shard.ts';

function parseScale(value: string): ScaleRequest {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a scale; use a number >= 1 or auto`);
  return n;
}

function parsePercent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`'${value}' is not a percentage; use a number from 0 to 100`);
  return n;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a number of stacks; use a whole number >= 1`);
  return n;
}

function parseShardFlag(value: string): Shard {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError(describeError(error).replace(/^--shard \S+: /, ''));
  }
}

export const scaleOption = () =>
  new Option('--scale <n>', 'divide every timing by n (auto: the largest keeping every interval >= 250ms)').argParser(parseScale).default('auto' as ScaleRequest);
export const engineOption = () => new Option('--engine <engine>', 'traffic engine').choices(['auto', 'builtin', 'k6']).default('auto');
export const jobsOption = () => new Option('--jobs <n>', 'isolated stacks at once (default: sized from cores, memory and the measured cost of a stack)').argParser(parseJobs);
export const systemOption = (what = 'scenarios') =>
  new Option('--system <names>', `only the ${what} of these systems, comma-separated (default: every system in the config)`).argParser((value: string) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );
export const shardOption = () => new Option('--shard <i/n>', 'run only shard i of n (deterministic split; combine the results with firedrill merge)').argParser(parseShardFlag);
/** `--stack`; `external` only for commands that drill a running stack, with what it means there. */
export const stackOption = (external?: string) =>
  new Option(
    '--stack <provider>',
    `where Prometheus and Alertmanager run: native (local processes)${external ? `, containers (docker-compose.test.yml), or external (${external})` : ' or containers (docker-compose.test.yml)'}`,
  )
    .choices(external ? ['native', 'containers', 'external'] : ['native', 'containers'])
    .default('native');
export const configOption = () => new Option('--config <file>', 'config file').default(DEFAULT_CONFIG_FILE);
export const keepOption = () => new Option('--keep', 'keep each run directory (configs, logs, TSDB) and say where');
export const coverageOptions = (command: Command) =>
  command
    .addOption(new Option('--min-alert-coverage <percent>', 'fail below this share of alert rules fired and asserted').argParser(parsePercent).default(100))
    .addOption(new Option('--min-inhibition-coverage <percent>', 'fail below this share of inhibit rules seen suppressing, with a negative control').argParser(parsePercent).default(100));

export function writeOutput(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

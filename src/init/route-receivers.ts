import { spawnSync } from 'node:child_process';
import { findCheckTools } from '../stack/binaries.ts';
import { FiredrillError } from '../errors.ts';

/**
 * The receivers Alertmanager's own routing tree picks for an alert's labels, asked of amtool
 * (`amtool config routes test`), so that init expects exactly what Alertmanager would do.
 */
export function routeReceivers(alertmanagerConfig: string, labels: Readonly<Record<string, string>>): string[] {
  const { amtool } = findCheckTools();
  const args = ['config', 'routes', 'test', `--config.file=${alertmanagerConfig}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const run = spawnSync(amtool, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new FiredrillError('BAD_INPUT', `amtool config routes test on ${alertmanagerConfig} failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1)}`);
  return run.stdout.trim().split(',').map((r) => r.trim()).filter(Boolean);
}

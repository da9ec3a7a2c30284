import type { Command } from 'commander';
import { compileSystem, type ScaleRequest } from '../../compile/compile-system.ts';
import { loadConfig } from '../../config/load-config.ts';
import { K6_ENV } from '../../k6/k6-env.ts';
import { refuseUpstreamFindings } from '../../scenario/run-drills.ts';
import { providerFor } from '../../stack/stack-providers.ts';
import type { StackProviderName } from '../../stack/started-stack.ts';
import { requireStackTools } from '../../stack/required-tools.ts';
import { configOption, keepOption, scaleOption, stackOption } from '../options.ts';
import { serveUntilInterrupted, systemNamed } from '../served-stack.ts';
import { installSignalHandlers } from '../signals.ts';

/** `firedrill up [system]`: a stack that stays up until Ctrl-C, for k6 runs, dashboards and poking around. */
export function addUpCommand(program: Command): void {
  program
    .command('up')
    .description("start a system's stack and keep it running until Ctrl-C (for k6 runs, dashboards, poking around)")
    .argument('[system]', 'system name (default: the first in the config)')
    .addOption(scaleOption())
    .addOption(stackOption())
    .addOption(keepOption())
    .addOption(configOption())
    .action(async (systemName: string | undefined, opts: { scale: ScaleRequest; stack: StackProviderName; keep?: boolean; config: string }) => {
      const config = await loadConfig(opts.config);
      const system = systemNamed(config, systemName, 'up');
      const compiled = compileSystem(system, opts.scale);
      requireStackTools(system, opts.stack);
      await refuseUpstreamFindings([compiled]);
      const provider = providerFor(opts.stack);
      await provider.prepare?.();
      const interruption = installSignalHandlers();
      await using stack = await provider.start(compiled, { keepRunDir: opts.keep, signal: interruption.signal, scrapeFaultTargets: 'all' });
      console.log(`stack ${system.name} ready in ${(stack.readyMs / 1000).toFixed(1)}s at scale ${stack.compiled.scale}${opts.keep ? `; run directory kept: ${stack.runDir}` : ''}`);
      console.log(`  prometheus        ${stack.prometheusUrl}`);
      console.log(`  alertmanager      ${stack.alertmanagerUrl}`);
      console.log(`  fault controller  ${stack.faults.url}  (Authorization: Bearer ${stack.faultToken})`);
      for (const [name, url] of stack.serviceUrls) console.log(`  service ${name.padEnd(9)} ${url}`);
      // The token goes in the environment, never on a command line that every local user can read.
      const env = [
        `${K6_ENV.targets}='${JSON.stringify(Object.fromEntries(stack.serviceUrls))}'`,
        `${K6_ENV.faultUrl}=${stack.faults.url}`,
        `${K6_ENV.faultToken}=${stack.faultToken}`,
      ].join(' ');
      console.log(`run a scenario with k6 (build it first: npx firedrill build --scale ${stack.compiled.scale}):`);
      console.log(`  ${env} k6 run dist/k6/<scenario>.js`);
      console.log('press Ctrl-C to stop');
      await serveUntilInterrupted(stack, interruption.signal);
    });
}

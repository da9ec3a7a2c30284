import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { ScaleRequest } from '../../compile/compile-system.ts';
import { loadConfig } from '../../config/load-config.ts';
import { buildScripts } from '../build-scripts.ts';
import { configOption, scaleOption } from '../options.ts';

/** `firedrill build [scenario...]`: one k6 script per scenario. */
export function addBuildCommand(program: Command): void {
  program
    .command('build')
    .description('bundle each scenario into a k6 script: dist/k6/<scenario>.js')
    .argument('[scenario...]', 'scenario names (default: all)')
    .addOption(scaleOption())
    .option('--out <dir>', 'output directory', 'dist/k6')
    .addOption(configOption())
    .action(async (names: string[], opts: { scale: ScaleRequest; out: string; config: string }) => {
      const config = await loadConfig(opts.config);
      for (const built of await buildScripts(config, names, opts.scale, opts.out)) {
        console.log(`${built.file}  ${(statSync(built.file).size / 1024).toFixed(1)} KiB  ${built.scenario} (${built.system}, scale ${built.scale}, ${built.streams} traffic + ${built.faultCalls} fault scenarios)`);
      }
    });
}

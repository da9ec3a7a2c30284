import { Option, type Command } from 'commander';
import type { ScaleRequest } from '../../compile/compile-system.ts';
import { loadConfig } from '../../config/load-config.ts';
import type { EngineRequest } from '../../engine/choose-engine.ts';
import { formatScenario } from '../../report/console-report.ts';
import { LiveProgress } from '../../report/live-progress.ts';
import { runDrills, type StackRequest } from '../../scenario/run-drills.ts';
import type { Shard } from '../../scenario/shard.ts';
import { announceStart, announceVoidAttempt, announceWaitingForRoom, rememberStackCost } from '../announce.ts';
import { gameDayCommand } from './game-day.ts';
import { configOption, engineOption, jobsOption, keepOption, scaleOption, shardOption, stackOption, systemOption } from '../options.ts';
import { addHtmlOption, checkHtmlWritable } from '../html-output.ts';
import { checkWritable, uniqueResultPath } from '../output-path.ts';
import { installSignalHandlers } from '../signals.ts';
import { readStackCosts } from '../stack-cost-file.ts';
import { writeRun } from '../run-output.ts';

interface RunFlags {
  scale: ScaleRequest;
  stack: StackRequest;
  engine: EngineRequest;
  jobs?: number;
  shard?: Shard;
  system?: string[];
  json?: string;
  html?: string;
  keep?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  silence?: boolean;
  config: string;
}

/** `firedrill run [scenario...]`: every named scenario (all by default) on a stack of its own, judged. */
export function addRunCommand(program: Command): void {
  addHtmlOption(program
    .command('run')
    .description('run scenarios (all when none is named) and judge their expectations')
    .argument('[scenario...]', 'scenario names')
    .addOption(scaleOption())
    .addOption(stackOption('a running stack, for game days'))
    .addOption(engineOption())
    .addOption(jobsOption())
    .addOption(shardOption())
    .addOption(systemOption())
    .option('--json <file>', 'write the result JSON here (default: a new file in .firedrill/results/)')
    .addOption(keepOption())
    .addOption(new Option('--yes', 'game days (--stack external): start without asking, after printing the plan (for CI)'))
    .addOption(new Option('--dry-run', 'game days (--stack external): print the plan and touch nothing'))
    .addOption(new Option('--silence', "game days (--stack external): silence the drills' alerts in Alertmanager while they run, so nobody is paged"))
    .addOption(configOption()))
    .action(async (names: string[], opts: RunFlags) => {
      const json = opts.json ?? uniqueResultPath('run');
      checkWritable(json, '--json');
      checkHtmlWritable(opts.html);
      const interruption = installSignalHandlers();
      const config = await loadConfig(opts.config);
      if (opts.stack === 'external') {
        const code = await gameDayCommand(config, names, opts, { json, html: opts.html }, interruption.signal);
        process.exitCode = interruption.exitCode ?? code;
        return;
      }
      const progress = new LiveProgress();
      const result = await runDrills({
        config,
        scenarioNames: names,
        scale: opts.scale,
        stack: opts.stack,
        engine: opts.engine,
        jobs: opts.jobs,
        shard: opts.shard,
        systems: opts.system,
        keepRunDirs: opts.keep,
        stackCosts: readStackCosts(opts.stack),
        signal: interruption.signal,
        onScenarioStart: (scenario, stack) => announceStart(scenario, stack, opts.keep),
        onVoidAttempt: announceVoidAttempt,
        onWaitingForRoom: announceWaitingForRoom,
        onProgress: (p) => progress.update(p),
        onScenario: (scenario, compiled) => {
          progress.clear(scenario.name);
          console.log(`${formatScenario(scenario, compiled.scale)}\n`);
        },
      });
      progress.clear();
      rememberStackCost(result);
      writeRun(result, { json, html: opts.html });
      process.exitCode = interruption.exitCode ?? (result.ok ? 0 : 1);
    });
}

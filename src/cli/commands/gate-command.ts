import type { Command } from 'commander';
import type { ScaleRequest } from '../../compile/compile-system.ts';
import { loadConfig } from '../../config/load-config.ts';
import type { EngineRequest } from '../../engine/choose-engine.ts';
import { runGate, type GateResult } from '../../gate/run-gate.ts';
import { formatRunTable } from '../../report/console-report.ts';
import { formatGateSummary, gateJUnitSuites } from '../../report/gate-report.ts';
import { formatJUnit } from '../../report/junit.ts';
import { LiveProgress } from '../../report/live-progress.ts';
import type { Scenario } from '../../scenario/define-scenario.ts';
import type { Shard } from '../../scenario/shard.ts';
import { announceStart, announceVoidAttempt, announceWaitingForRoom, rememberStackCost } from '../announce.ts';
import { configOption, coverageOptions, engineOption, jobsOption, keepOption, scaleOption, shardOption, stackOption, systemOption, writeOutput } from '../options.ts';
import type { StackProviderName, StartedStack } from '../../stack/started-stack.ts';
import { addHtmlOption, checkHtmlWritable, writeHtmlReport } from '../html-output.ts';
import { checkWritable, uniqueResultPath } from '../output-path.ts';
import { installSignalHandlers } from '../signals.ts';
import { readStackCosts } from '../stack-cost-file.ts';

interface GateFlags {
  scale: ScaleRequest;
  engine: EngineRequest;
  stack: StackProviderName;
  jobs?: number;
  shard?: Shard;
  system?: string[];
  junit?: string;
  json?: string;
  html?: string;
  keep?: boolean;
  minAlertCoverage: number;
  minInhibitionCoverage: number;
  config: string;
}

/** `firedrill gate`: static checks, metric contract, every scenario, power and coverage. */
export function addGateCommand(program: Command): void {
  coverageOptions(addHtmlOption(
    program
      .command('gate')
      .description('CI alert regression gate: static checks, metric contract, every scenario, coverage')
      .addOption(scaleOption())
      .addOption(stackOption())
      .addOption(engineOption())
      .addOption(jobsOption())
      .addOption(shardOption())
      .addOption(systemOption())
      .option('--junit <file>', 'write a JUnit XML report here')
      .option('--json <file>', 'write the gate result JSON here (default: a new file in .firedrill/results/)')
      .addOption(keepOption())
      .addOption(configOption())),
  ).action(async (opts: GateFlags) => {
    const outputs = { json: opts.json ?? uniqueResultPath('gate'), junit: opts.junit, html: opts.html };
    checkWritable(outputs.json, '--json');
    if (outputs.junit) checkWritable(outputs.junit, '--junit');
    checkHtmlWritable(outputs.html);
    const interruption = installSignalHandlers();
    const config = await loadConfig(opts.config);
    const progress = new LiveProgress();
    const gate = await runGate({
      config,
      scale: opts.scale,
      stack: opts.stack,
      engine: opts.engine,
      jobs: opts.jobs,
      shard: opts.shard,
      systems: opts.system,
      keepRunDirs: opts.keep,
      // A kept directory is only of use if the user can find it: named as each drill starts.
      ...(opts.keep ? { onScenarioStart: (scenario: Scenario, stack: StartedStack) => announceStart(scenario, stack, true) } : {}),
      onVoidAttempt: announceVoidAttempt,
      onWaitingForRoom: announceWaitingForRoom,
      stackCosts: readStackCosts(opts.stack),
      minAlertCoverage: opts.minAlertCoverage,
      minInhibitionCoverage: opts.minInhibitionCoverage,
      signal: interruption.signal,
      onProgress: (p) => progress.update(p),
      onScenario: (scenario) => {
        progress.clear(scenario.name);
        console.log(`${scenario.ok ? 'PASS' : 'FAIL'}  ${scenario.name}  ${scenario.expectations.filter((e) => e.ok).length}/${scenario.expectations.length} expectations`);
      },
    });
    progress.clear();
    rememberStackCost(gate.run);
    writeGate(gate, outputs);
    if (interruption.exitCode !== undefined) process.exitCode = interruption.exitCode;
  });
}

/** Writes a gate result (one run or merged shards) as JSON and JUnit, prints the summary, sets the exit code. */
export function writeGate(gate: GateResult, outputs: { junit?: string; json: string; html?: string }): void {
  writeOutput(outputs.json, `${JSON.stringify(gate, null, 2)}\n`);
  if (outputs.junit) writeOutput(outputs.junit, formatJUnit('firedrill-gate', gateJUnitSuites(gate)));
  console.log('');
  console.log(formatRunTable(gate.run));
  console.log('');
  console.log(formatGateSummary(gate));
  console.log(`result JSON: ${outputs.json}${outputs.junit ? `; JUnit: ${outputs.junit}` : ''}`);
  writeHtmlReport(outputs.html, { kind: 'gate', run: gate.run, gate });
  process.exitCode = gate.ok ? 0 : 1;
}

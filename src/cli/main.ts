import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../config/load-config.ts';
import { compileSystem, type ScaleRequest } from '../compile/compile-system.ts';
import { describeError } from '../errors.ts';
import { parseDurationMs } from '../duration.ts';
import { formatRunSummary, formatRunTable, formatScenario } from '../report/console-report.ts';
import { LiveProgress } from '../report/live-progress.ts';
import { formatGateSummary, gateJUnitSuites, runJUnitSuites } from '../report/gate-report.ts';
import { formatJUnit } from '../report/junit.ts';
import { runGate, type GateResult } from '../gate/run-gate.ts';
import { buildScripts } from './build-scripts.ts';
import { k6EnvFlags } from '../k6/k6-env.ts';
import { runDrills, type StackRequest } from '../scenario/run-drills.ts';
import { parseShard, type Shard } from '../scenario/shard.ts';
import type { EngineRequest } from '../engine/choose-engine.ts';
import { mergeResults } from '../gate/merge-results.ts';
import type { RunResult } from '../report/run-result.ts';
import { nativeStackProvider } from '../stack/native-stack.ts';
import { readStackCost, writeStackCost } from './stack-cost-file.ts';
import { installSignalHandlers } from './signals.ts';

function parseScale(value: string): ScaleRequest {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a scale; use a number >= 1 or auto`);
  return n;
}

const scaleOption = () => new Option('--scale <n>', 'divide every timing by n (auto: largest keeping intervals >= 500ms)').argParser(parseScale).default('auto' as ScaleRequest);
function parsePercent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`'${value}' is not a percentage; use a number from 0 to 100`);
  return n;
}

function writeOutput(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
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

const jobsOption = () => new Option('--jobs <n>', 'isolated stacks at once (default: sized from cores, memory and the measured cost of a stack)').argParser(parseJobs);
const shardOption = () => new Option('--shard <i/n>', 'run only shard i of n (deterministic split; combine the results with firedrill merge)').argParser(parseShardFlag);
const coverageOptions = (command: Command) =>
  command
    .addOption(new Option('--min-alert-coverage <percent>', 'fail below this share of alert rules fired and asserted').argParser(parsePercent).default(100))
    .addOption(new Option('--min-inhibition-coverage <percent>', 'fail below this share of inhibit rules seen suppressing, with a negative control').argParser(parsePercent).default(100));

/** Keeps what this run measured a stack to cost, for the next run's pool size. */
function rememberStackCost(run: RunResult): void {
  if (run.pool?.measuredStackCost) writeStackCost(run.pool.measuredStackCost);
}

const DEFAULT_RESULT_FILE = '.firedrill/result.json';
const configOption = () => new Option('--config <file>', 'config file').default(DEFAULT_CONFIG_FILE);

export function buildProgram(): Command {
  const program = new Command('firedrill')
    .description('Fire drills for your monitoring: prove that alerts fire, route and inhibit as designed.')
    // One line per error, firedrill's own prefix; usage stays under --help.
    .configureOutput({ outputError: (text, write) => write(`firedrill: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see firedrill --help)\n`) })
    .exitOverride();

  program
    .command('run')
    .description('run scenarios (all when none is named) and judge their expectations')
    .argument('[scenario...]', 'scenario names')
    .addOption(scaleOption())
    .addOption(new Option('--stack <provider>', 'where Prometheus and Alertmanager run').choices(['native', 'containers', 'external']).default('native'))
    .addOption(new Option('--engine <engine>', 'traffic engine').choices(['auto', 'builtin', 'k6']).default('auto'))
    .addOption(jobsOption())
    .addOption(shardOption())
    .option('--json <file>', 'write the result JSON here', DEFAULT_RESULT_FILE)
    .addOption(configOption())
    .action(async (names: string[], opts: { scale: ScaleRequest; stack: StackRequest; engine: EngineRequest; jobs?: number; shard?: Shard; json: string; config: string }) => {
      const abort = installSignalHandlers();
      const config = await loadConfig(opts.config);
      const progress = new LiveProgress();
      const result = await runDrills({
        config,
        scenarioNames: names,
        scale: opts.scale,
        stack: opts.stack,
        engine: opts.engine,
        jobs: opts.jobs,
        shard: opts.shard,
        stackCost: readStackCost(),
        signal: abort.signal,
        onScenarioStart: (scenario, stack) =>
          console.error(
            `> ${scenario.name}: stack ready in ${(stack.readyMs / 1000).toFixed(1)}s; running ${scenario.duration} of rule time (${(parseDurationMs(scenario.duration, 'duration') / stack.compiled.scale / 1000).toFixed(1)}s wall at scale ${stack.compiled.scale})`,
          ),
        onProgress: (p) => progress.update(p),
        onScenario: (scenario, compiled) => {
          progress.clear(scenario.name);
          console.log(`${formatScenario(scenario, compiled.scale)}\n`);
        },
      });
      writeOutput(opts.json, `${JSON.stringify(result, null, 2)}\n`);
      rememberStackCost(result);
      console.log(formatRunTable(result));
      console.log('');
      console.log(formatRunSummary(result));
      console.log(`result JSON: ${opts.json}`);
      process.exitCode = result.ok ? 0 : 1;
    });

  const gate = program
    .command('gate')
    .description('CI alert regression gate: static checks, metric contract, every scenario, coverage')
    .addOption(scaleOption())
    .addOption(new Option('--engine <engine>', 'traffic engine').choices(['auto', 'builtin', 'k6']).default('auto'))
    .addOption(jobsOption())
    .addOption(shardOption())
    .option('--junit <file>', 'write a JUnit XML report here')
    .option('--json <file>', 'write the gate result JSON here', '.firedrill/gate.json')
    .addOption(configOption());
  coverageOptions(gate).action(
    async (opts: { scale: ScaleRequest; engine: EngineRequest; jobs?: number; shard?: Shard; junit?: string; json: string; minAlertCoverage: number; minInhibitionCoverage: number; config: string }) => {
      const abort = installSignalHandlers();
      const config = await loadConfig(opts.config);
      const progress = new LiveProgress();
      const gate = await runGate({
        config,
        scale: opts.scale,
        engine: opts.engine,
        jobs: opts.jobs,
        shard: opts.shard,
        stackCost: readStackCost(),
        minAlertCoverage: opts.minAlertCoverage,
        minInhibitionCoverage: opts.minInhibitionCoverage,
        signal: abort.signal,
        onProgress: (p) => progress.update(p),
        onScenario: (scenario) => {
          progress.clear(scenario.name);
          console.log(`${scenario.ok ? 'PASS' : 'FAIL'}  ${scenario.name}  ${scenario.expectations.filter((e) => e.ok).length}/${scenario.expectations.length} expectations`);
        },
      });
      rememberStackCost(gate.run);
      writeGate(gate, opts);
    },
  );

  coverageOptions(
    program
      .command('merge')
      .description('combine the result JSONs of the shards of one gate or run into one JSON and one JUnit, coverage over the whole')
      .argument('<result...>', 'the result JSON of every shard (--shard 1/n to n/n)')
      .option('--junit <file>', 'write a JUnit XML report here')
      .option('--json <file>', 'write the merged result JSON here', '.firedrill/merged.json')
      .addOption(configOption()),
  ).action(async (files: string[], opts: { junit?: string; json: string; minAlertCoverage: number; minInhibitionCoverage: number; config: string }) => {
    const config = await loadConfig(opts.config);
    const merged = await mergeResults(config, files, opts);
    if (merged.kind === 'gate') return writeGate(merged.gate, opts);
    writeOutput(opts.json, `${JSON.stringify(merged.run, null, 2)}\n`);
    if (opts.junit) writeOutput(opts.junit, formatJUnit('firedrill-run', runJUnitSuites(merged.run)));
    console.log(formatRunTable(merged.run));
    console.log('');
    console.log(formatRunSummary(merged.run));
    console.log(`result JSON: ${opts.json}${opts.junit ? `; JUnit: ${opts.junit}` : ''}`);
    process.exitCode = merged.run.ok ? 0 : 1;
  });

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

  program
    .command('up')
    .description('start a system\'s stack and keep it running until Ctrl-C (for k6 runs, dashboards, poking around)')
    .argument('[system]', 'system name (default: the first in the config)')
    .addOption(scaleOption())
    .addOption(configOption())
    .action(async (systemName: string | undefined, opts: { scale: ScaleRequest; config: string }) => {
      const abort = installSignalHandlers();
      const config = await loadConfig(opts.config);
      const system = systemName ? config.systems.find((s) => s.name === systemName) : config.systems[0];
      if (!system) throw new InvalidArgumentError(`no system '${systemName}'; known: ${config.systems.map((s) => s.name).join(', ')}`);
      const stack = await nativeStackProvider.start(compileSystem(system, opts.scale));
      console.log(`stack ${system.name} ready in ${(stack.readyMs / 1000).toFixed(1)}s at scale ${stack.compiled.scale}`);
      console.log(`  prometheus        ${stack.prometheusUrl}`);
      console.log(`  alertmanager      ${stack.alertmanagerUrl}`);
      console.log(`  fault controller  ${stack.faults.url}  (Authorization: Bearer ${stack.faultToken})`);
      for (const [name, url] of stack.serviceUrls) console.log(`  service ${name.padEnd(9)} ${url}`);
      const flags = k6EnvFlags({ serviceUrls: Object.fromEntries(stack.serviceUrls), faultUrl: stack.faults.url, faultToken: stack.faultToken });
      const quoted = flags.map((f) => (f === '-e' ? f : `'${f}'`)).join(' ');
      console.log(`run a scenario with k6 (build it first: npx firedrill build --scale ${stack.compiled.scale}):`);
      console.log(`  k6 run ${quoted} dist/k6/<scenario>.js`);
      console.log('press Ctrl-C to stop');
      await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    });
  return program;
}

/** Writes a gate result (one run or merged shards) as JSON and JUnit, prints the summary, sets the exit code. */
function writeGate(gate: GateResult, opts: { junit?: string; json: string }): void {
  writeOutput(opts.json, `${JSON.stringify(gate, null, 2)}\n`);
  if (opts.junit) writeOutput(opts.junit, formatJUnit('firedrill-gate', gateJUnitSuites(gate)));
  console.log('');
  console.log(formatRunTable(gate.run));
  console.log('');
  console.log(formatGateSummary(gate));
  console.log(`result JSON: ${opts.json}${opts.junit ? `; JUnit: ${opts.junit}` : ''}`);
  process.exitCode = gate.ok ? 0 : 1;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    console.error(`firedrill: ${describeError(error)}`);
    process.exitCode = 2;
  }
}

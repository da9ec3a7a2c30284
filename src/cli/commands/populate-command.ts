import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { compileSystem } from '../../compile/compile-system.ts';
import { loadConfig } from '../../config/load-config.ts';
import { parseDurationMs } from '../../duration.ts';
import { chooseEngine, type EngineRequest } from '../../engine/choose-engine.ts';
import { badInput, FiredrillError } from '../../errors.ts';
import type { FaultJournal } from '../../faults/remote-controller-driver.ts';
import { externalStackProvider } from '../../stack/external/external-stack.ts';
import { recordHistory, writeHistory, type BuiltHistory } from '../../populate/build-history.ts';
import { liveScenario } from '../../populate/live-scenario.ts';
import { trafficModel } from '../../populate/traffic-model.ts';
import { checkGameDay } from '../../gameday/game-day-checks.ts';
import { planContextFor, restartGapOf } from '../../scenario/plan-context.ts';
import { planScenario } from '../../scenario/scenario-plan.ts';
import { loadScenarios } from '../../scenario/load-scenarios.ts';
import { moveBlocks } from '../../stack/tsdb-blocks.ts';
import { requireStackTools } from '../../stack/required-tools.ts';
import { providerFor } from '../../stack/stack-providers.ts';
import type { StackProviderName } from '../../stack/started-stack.ts';
import { configOption, engineOption, keepOption, stackOption, writeOutput } from '../options.ts';
import { checkWritable } from '../output-path.ts';
import { serveUntilInterrupted, systemNamed } from '../served-stack.ts';
import { installSignalHandlers } from '../signals.ts';

interface PopulateFlags {
  history?: string | true;
  live?: string;
  scale: string;
  stack: StackProviderName;
  engine: EngineRequest;
  seed: string;
  out?: string;
  exit?: boolean;
  keep?: boolean;
  json?: string;
  config: string;
}

/** The live model sends a stack someone else runs traffic only: any fault would be refused here. */
const NO_FAULTS: FaultJournal = {
  record: () => {
    throw new FiredrillError('BAD_INPUT', 'populate sends no fault to a stack firedrill did not start; drill its faults with a game day (firedrill run --stack external)');
  },
  done: () => undefined,
};

/** Prometheus (Debian's) keeps 15 days; older history would be deleted as it is loaded. */
const MAX_HISTORY_MS = 14 * 24 * 3_600_000;
const MIN_HISTORY_MS = 3_600_000;

/** `firedrill populate [system]`: days of history written in seconds, and/or the traffic model run live, for dashboards. */
export function addPopulateCommand(program: Command): void {
  program
    .command('populate')
    .description("fill a system's Prometheus with data for dashboards: days of history from a short real run (promtool backfill), and/or the traffic model live")
    .argument('[system]', 'system name (default: the first in the config)')
    .addOption(new Option('--history [span]', 'write this much history, ending now (default 7d; at most 14d)').preset('7d'))
    .option('--live <span>', 'then run the traffic model live for this much model time (at --scale, a day takes 24h/scale)')
    .option('--scale <n>', "the scale of the stack that serves the data and of the live model (1: production's intervals)", '1')
    .addOption(stackOption('a running stack: with --live only'))
    .addOption(engineOption())
    .option('--seed <n>', 'seed of the bursts, incidents and draws (the same seed and span give the same history)', '1')
    .option('--out <dir>', 'write the history as TSDB blocks here (move them into your Prometheus storage) instead of starting a stack on them')
    .option('--exit', 'stop once populated (default: keep the stack up until Ctrl-C, for Grafana)')
    .option('--json <file>', 'write what was made and how long each part took as JSON here')
    .addOption(keepOption())
    .addOption(configOption())
    .action(async (systemName: string | undefined, opts: PopulateFlags) => {
      const historyMs = opts.history === undefined ? undefined : parseDurationMs(opts.history === true ? '7d' : opts.history, '--history');
      const liveMs = opts.live === undefined ? undefined : parseDurationMs(opts.live, '--live');
      if (historyMs === undefined && liveMs === undefined) throw badInput('populate: say what to fill: --history [7d] for days of history, --live <span> for the traffic model live, or both');
      if (historyMs !== undefined && (historyMs < MIN_HISTORY_MS || historyMs > MAX_HISTORY_MS)) throw badInput(`--history ${opts.history}: write between 1h and 14d (Prometheus keeps 15 days)`);
      if (liveMs !== undefined && liveMs <= 0) throw badInput(`--live ${opts.live}: give a span longer than 0, like 1h`);
      const scale = Number(opts.scale);
      if (!Number.isFinite(scale) || scale < 1) throw badInput(`--scale ${opts.scale}: use a number >= 1`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0) throw badInput(`--seed ${opts.seed}: use a whole number >= 0`);
      if (opts.out && historyMs === undefined) throw badInput('--out: it is where --history writes its blocks; add --history');
      if (opts.out && existsSync(opts.out) && readdirSync(opts.out).length > 0) throw badInput(`--out ${opts.out}: not empty; name a new or empty directory`);
      if (opts.stack === 'external' && historyMs !== undefined) {
        throw badInput("--history with --stack external: history is recorded on a stack firedrill starts; run populate --stack native --history --out <dir> and move the blocks into your Prometheus' storage");
      }
      if (opts.stack === 'external' && scale !== 1) throw badInput(`--scale ${opts.scale}: an external stack runs at scale 1`);
      if (opts.json) checkWritable(opts.json, '--json');

      const config = await loadConfig(opts.config);
      const system = systemNamed(config, systemName, 'populate');
      const production = compileSystem(system, 1);
      const served = compileSystem(system, scale);
      const everySystem = new Map(config.systems.map((s) => [s.name, s.name === system.name ? production : compileSystem(s, 1)]));
      const scenarios = (await loadScenarios(config.scenariosDir, everySystem)).map((l) => l.scenario);
      const modelled = trafficModel(system.name, scenarios, seed, restartGapOf(production));
      // On a stack someone else runs, faults go through a game day (plan, confirmation, abort guards).
      const model = opts.stack === 'external' ? { ...modelled, incidents: [] } : modelled;
      if (opts.stack === 'external' && liveMs !== undefined) {
        checkGameDay([{ file: config.file, scenario: liveScenario(model, Date.now(), liveMs), vacuous: [] }], new Map([[system.name, served]]));
      }
      requireStackTools(system, opts.stack);
      const provider = opts.stack === 'external' ? externalStackProvider({ journal: NO_FAULTS, runId: `populate-${process.pid}`, ownSilences: new Set() }) : providerFor(opts.stack);
      await provider.prepare?.();
      const engine = liveMs === undefined ? undefined : chooseEngine(opts.engine);

      const interruption = installSignalHandlers();
      const startedAt = Date.now();
      const say = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)}s] ${line}`);
      say(`model of ${system.name}: mean traffic from scenario ${model.baseline} (${model.streams.map((s) => `${s.service} ${s.rps} rps`).join(', ')}), ${opts.stack === 'external' ? 'no incidents (an external stack gets traffic only; drill its faults with a game day)' : `${model.incidents.length} incident kinds from its drills`}, seed ${seed}`);
      const workDir = mkdtempSync(path.join(os.tmpdir(), `firedrill-populate-${system.name}-`));
      // One failure (the stack, the recording, promtool) or Ctrl-C stops all of the work.
      const work = new AbortController();
      interruption.signal.addEventListener('abort', () => work.abort(), { once: true });
      const options = { spanMs: historyMs ?? 0, workDir, signal: work.signal, progress: say };
      const writing = historyMs === undefined ? undefined : recordHistory(production, provider, model, options).then((recorded) => writeHistory(recorded, options));
      const settled = () => writing?.catch(() => undefined);
      void settled(); // awaited on every path below; the stack's start may fail first
      let populatedMs = 0;
      try {
        if (writing && opts.out) {
          const history = await writing;
          moveBlocks(history.blocksDir, opts.out);
          say(`history blocks written to ${opts.out}: stop your Prometheus, move them into its storage directory (--storage.tsdb.path), start it`);
          if (liveMs === undefined) {
            writeSummary(opts.json, { system: system.name, history, populatedMs: Date.now() - startedAt });
            return;
          }
        }
        // The serving stack starts beside the recording; its Prometheus starts once the blocks are written.
        await using stack = await provider
          .start(served, {
            signal: work.signal,
            scrapeFaultTargets: 'all',
            keepRunDir: opts.keep,
            ...(writing && !opts.out
              ? {
                  tsdbBlocks: writing.then((h) => h.blocksDir),
                  onPrometheusServing: (url: string) => {
                    populatedMs = Date.now() - startedAt;
                    say(`populated: the history is queryable at ${url}`);
                  },
                }
              : {}),
          })
          .catch(async (error: unknown) => {
            work.abort();
            await settled();
            throw error;
          });
        const history = writing && (await writing);
        if (!history || opts.out) populatedMs = Date.now() - startedAt; // nothing to wait for but the stack
        say(`stack ${system.name} ready at scale ${served.scale} (targets scraped): prometheus ${stack.prometheusUrl}${opts.keep ? `; run directory kept: ${stack.runDir}` : ''}`);
        if (history) say(`${describeHistory(history)}, queryable after ${(populatedMs / 1000).toFixed(1)}s`);
        writeSummary(opts.json, { system: system.name, history, populatedMs, prometheus: stack.prometheusUrl });
        if (engine && liveMs !== undefined) {
          const scenario = liveScenario(model, Date.now(), liveMs);
          const plan = planScenario(scenario, planContextFor(scenario, served));
          say(`live: the model for ${formatSpan(liveMs)} of model time (${(plan.durationS / 60).toFixed(1)} min at scale ${served.scale}) on the ${engine.name} engine, ${plan.faultCalls.length / 2} incident faults`);
          const traffic = await engine.run(plan, { serviceUrls: Object.fromEntries(stack.serviceUrls), faults: { url: stack.faults.url, token: stack.faultToken } }, { signal: interruption.signal, live: { requests: 0, failures: 0 } });
          say(`live done: ${traffic.requests} requests (${traffic.achievedRps} rps)`);
        }
        if (opts.exit || interruption.signal.aborted) return;
        say(`ready for dashboards: point Grafana at ${stack.prometheusUrl} (firedrill dashboards provision --prometheus ${stack.prometheusUrl} --out <dir>); press Ctrl-C to stop`);
        await serveUntilInterrupted(stack, interruption.signal);
      } finally {
        work.abort();
        await settled();
        rmSync(workDir, { recursive: true, force: true });
      }
    });
}

function describeHistory(history: BuiltHistory): string {
  return `${formatSpan(history.toMs - history.fromMs)} of history (${history.samples.toLocaleString('en')} samples, ${history.series} series, ${history.segments} recorded segments${history.recordingRules > 0 ? `, ${history.recordingRules} recording rules` : ''})`;
}

const formatSpan = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${Math.round(ms / 60_000)}m`);

function writeSummary(file: string | undefined, summary: { system: string; history: BuiltHistory | undefined; populatedMs: number; prometheus?: string }): void {
  if (!file) return;
  const { history } = summary;
  writeOutput(
    file,
    `${JSON.stringify(
      {
        system: summary.system,
        prometheus: summary.prometheus ?? null,
        populatedSeconds: summary.populatedMs / 1000,
        history: history
          ? { from: new Date(history.fromMs).toISOString(), to: new Date(history.toMs).toISOString(), series: history.series, samples: history.samples, segments: history.segments, recordingRules: history.recordingRules, seconds: { record: history.timingsMs.record / 1000, write: history.timingsMs.write / 1000, rules: history.timingsMs.rules / 1000 } }
          : null,
      },
      null,
      2,
    )}\n`,
  );
}

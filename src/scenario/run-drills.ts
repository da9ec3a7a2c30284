import { compileSystem, type CompiledMutations, type CompiledSystem, type ScaleRequest } from '../compile/compile-system.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { seconds } from '../duration.ts';
import { badInput } from '../errors.ts';
import { chooseEngine, type EngineRequest } from '../engine/choose-engine.ts';
import type { RunResult } from '../report/run-result.ts';
import { startNativeStack } from '../stack/native-stack.ts';
import { loadScenarios, selectScenarios } from './load-scenarios.ts';
import { runScenario, type ScenarioProgress } from './run-scenario.ts';
import type { ScenarioResult } from '../report/run-result.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import type { Scenario } from './define-scenario.ts';
import { planLanes } from './scenario-services.ts';
import { waitUntilQuiet } from './wait-until-quiet.ts';

export type StackRequest = 'native' | 'containers' | 'external';

export interface RunDrillsOptions {
  readonly config: LoadedConfig;
  readonly scenarioNames: readonly string[];
  readonly scale: ScaleRequest;
  readonly stack: StackRequest;
  readonly engine: EngineRequest;
  readonly mutations?: CompiledMutations;
  readonly signal?: AbortSignal;
  readonly onScenario?: (result: ScenarioResult, compiled: CompiledSystem) => void;
  readonly onProgress?: (progress: ScenarioProgress) => void;
  /** Called once the scenario's stack is ready, just before traffic starts. */
  readonly onScenarioStart?: (scenario: Scenario, stack: StartedStack) => void;
  /**
   * One stack per system for all its scenarios; scenarios touching disjoint services run at the
   * same time (see planLanes). Default: a fresh stack per scenario, one at a time.
   */
  readonly shareStack?: boolean;
  /** Called after a scenario, while its stack still runs (the gate checks the metric contract here). */
  readonly afterScenario?: (scenario: Scenario, stack: StartedStack) => Promise<void>;
}

/** Validates everything, then runs each selected scenario on a fresh stack of its system. */
export async function runDrills(options: RunDrillsOptions): Promise<RunResult> {
  if (options.stack !== 'native') {
    throw badInput(`--stack ${options.stack}: not available yet; use --stack native (real Prometheus and Alertmanager processes on 127.0.0.1)`);
  }
  const engine = chooseEngine(options.engine);
  // Compile every system first so that bad config or an unsafe scale fails before anything starts.
  const compiled = new Map(options.config.systems.map((s) => [s.name, compileSystem(s, options.scale)]));
  const selected = selectScenarios(await loadScenarios(options.config.scenariosDir, compiled), options.scenarioNames);
  if (selected.length === 0) throw badInput(`${options.config.scenariosDir}: no scenarios found`);

  const results = new Map<Scenario, ScenarioResult>();
  let readyMs = 0;
  const runOn = async (stack: StartedStack, scenario: Scenario, system: CompiledSystem) => {
    options.onScenarioStart?.(scenario, stack);
    const result = await runScenario(stack, scenario, { engine, signal: options.signal, onProgress: options.onProgress });
    results.set(scenario, result);
    options.onScenario?.(result, system);
    await options.afterScenario?.(scenario, stack);
  };
  if (options.shareStack) {
    for (const [name, system] of compiled) {
      const mine = selected.filter((s) => s.scenario.system === name);
      if (mine.length === 0 || options.signal?.aborted) continue;
      const stack = await startNativeStack(system, { mutations: options.mutations });
      try {
        readyMs = Math.max(readyMs, stack.readyMs);
        for (const phase of planLanes(mine, system)) {
          await Promise.all(
            phase.map(async (lane) => {
              for (const { scenario } of lane) {
                if (options.signal?.aborted) return;
                await waitUntilQuiet(stack, scenario);
                await runOn(stack, scenario, system);
              }
            }),
          );
        }
      } finally {
        await stack.stop();
      }
    }
  } else {
    for (const { scenario } of selected) {
      if (options.signal?.aborted) break;
      const system = compiled.get(scenario.system)!;
      const stack = await startNativeStack(system, { mutations: options.mutations });
      try {
        readyMs = Math.max(readyMs, stack.readyMs);
        await runOn(stack, scenario, system);
      } finally {
        await stack.stop();
      }
    }
  }
  const scenarios = selected.flatMap(({ scenario }) => results.get(scenario) ?? []);
  const first = compiled.get(selected[0]!.scenario.system);
  const reference = first!;
  return {
    ok: scenarios.length === selected.length && scenarios.every((s) => s.ok),
    scale: reference.scale,
    stack: options.stack,
    engine: engine.name,
    scrapeIntervalSeconds: seconds(reference.scrapeIntervalMs),
    evaluationIntervalSeconds: seconds(reference.evaluationIntervalMs),
    stackReadySeconds: seconds(readyMs),
    scenarios,
  };
}

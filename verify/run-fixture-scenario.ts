// Runs one fixture scenario on a fresh native stack (real Prometheus, Alertmanager and services).
import { compileSystem, type CompiledMutations, type CompiledSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { BuiltinEngine } from '../src/engine/builtin-engine.ts';
import { traceFor } from '../src/expect/evaluate-expectations.ts';
import type { AlertTrace } from '../src/observe/alert-trace.ts';
import type { ScenarioResult } from '../src/report/run-result.ts';
import { loadScenarios, selectScenarios } from '../src/scenario/load-scenarios.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';

export interface FixtureRun {
  readonly result: ScenarioResult;
  readonly compiled: CompiledSystem;
  /** The trace of an alert (of the series with these labels); throws, naming what was recorded, when there is none. */
  trace(alertname: string, labels?: Readonly<Record<string, string>>): AlertTrace;
}

export async function runFixtureScenario(name: string, mutations?: CompiledMutations): Promise<FixtureRun> {
  const config = await loadConfig('firedrill.config.ts');
  const systems = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
  const { scenario } = selectScenarios(await loadScenarios(config.scenariosDir, systems), [name])[0]!;
  const compiled = systems.get(scenario.system)!;
  const stack = await startNativeStack(compiled, { mutations });
  try {
    const result = await runScenario(stack, scenario, { engine: new BuiltinEngine() });
    return {
      result,
      compiled,
      trace(alertname, labels) {
        const found = traceFor(result.alerts, alertname, labels);
        if (!found) throw new Error(`no trace for ${alertname}; recorded: ${result.alerts.map((a) => a.alertname).join(', ') || 'none'}`);
        return found;
      },
    };
  } finally {
    await stack.stop();
  }
}

export const seconds = (iso: string | null) => (iso === null ? NaN : Date.parse(iso) / 1000);

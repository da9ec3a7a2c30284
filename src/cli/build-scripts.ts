import path from 'node:path';
import type { ScaleRequest } from '../compile/compile-system.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { buildK6Script, k6ScriptPath } from '../k6/build-k6-script.ts';
import { selectDrills } from '../scenario/run-drills.ts';
import { planScenario } from '../scenario/scenario-plan.ts';
import { planContextFor } from '../scenario/plan-context.ts';

export interface BuiltScript {
  readonly scenario: string;
  readonly system: string;
  readonly scale: number;
  readonly file: string;
  readonly streams: number;
  readonly faultCalls: number;
}

/** `firedrill build`: validates the scenarios against their systems, then writes one k6 script each. */
export async function buildScripts(config: LoadedConfig, names: readonly string[], scale: ScaleRequest, outDir: string): Promise<BuiltScript[]> {
  const { compiled, selected } = await selectDrills({ config, scenarioNames: names, scale });
  const built: BuiltScript[] = [];
  for (const { scenario } of selected) {
    const plan = planScenario(scenario, planContextFor(scenario, compiled.get(scenario.system)!));
    const file = path.relative(process.cwd(), k6ScriptPath(path.resolve(outDir), scenario.name)) || k6ScriptPath(outDir, scenario.name);
    await buildK6Script(plan, file);
    built.push({ scenario: plan.name, system: plan.system, scale: plan.scale, file, streams: plan.streams.length, faultCalls: plan.faultCalls.length });
  }
  return built;
}

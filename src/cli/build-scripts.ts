import path from 'node:path';
import { compileSystem, type ScaleRequest } from '../compile/compile-system.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { badInput } from '../errors.ts';
import { buildK6Script, k6ScriptPath } from '../k6/build-k6-script.ts';
import { loadScenarios, selectScenarios } from '../scenario/load-scenarios.ts';
import { planScenario } from '../scenario/scenario-plan.ts';

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
  const compiled = new Map(config.systems.map((s) => [s.name, compileSystem(s, scale)]));
  const selected = selectScenarios(await loadScenarios(config.scenariosDir, compiled), names);
  if (selected.length === 0) throw badInput(`${config.scenariosDir}: no scenarios found`);
  const built: BuiltScript[] = [];
  for (const { scenario } of selected) {
    const plan = planScenario(scenario, compiled.get(scenario.system)!.scale);
    const file = path.relative(process.cwd(), k6ScriptPath(path.resolve(outDir), scenario.name)) || k6ScriptPath(outDir, scenario.name);
    await buildK6Script(plan, file);
    built.push({ scenario: plan.name, system: plan.system, scale: plan.scale, file, streams: plan.streams.length, faultCalls: plan.faultCalls.length });
  }
  return built;
}

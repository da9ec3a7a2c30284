import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { importDefault } from '../config/import-default.ts';
import { describeLoadError } from '../config/load-error.ts';
import { badInput, FiredrillError } from '../errors.ts';
import type { Scenario } from './define-scenario.ts';
import { vacuousExpectations, validateScenario, type VacuousExpectation } from './validate-scenario.ts';

export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
  /** Expectations whose outcome the compiled rules settle before the drill runs (see vacuousExpectations). */
  readonly vacuous: readonly VacuousExpectation[];
}

/** Imports every `*.ts` scenario in the directory (not `k6/`), validated against its system. */
export async function loadScenarios(dir: string, systems: ReadonlyMap<string, CompiledSystem>): Promise<LoadedScenario[]> {
  const files = globSync('*.ts', { cwd: dir, absolute: true }).sort();
  const loaded: LoadedScenario[] = [];
  // Every file's problems at once: one broken file must not hide the next one's.
  const problems: string[] = [];
  for (const file of files) {
    const shown = path.relative(process.cwd(), file);
    try {
      let exported: unknown;
      try {
        exported = await importDefault(file);
      } catch (error) {
        throw badInput(describeLoadError(error, shown));
      }
      if (exported === undefined) throw badInput(`${shown}: has no default export; export default defineScenario({...})`);
      const scenario = validateScenario(exported, shown, systems);
      loaded.push({ file, scenario, vacuous: vacuousExpectations(scenario, systems.get(scenario.system)!) });
    } catch (error) {
      if (!(error instanceof FiredrillError && error.code === 'BAD_INPUT')) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw badInput(problems.join('; '));
  const names = new Map<string, string>();
  for (const { scenario, file } of loaded) {
    const other = names.get(scenario.name);
    if (other) throw badInput(`${path.relative(process.cwd(), file)}: name '${scenario.name}' is already the name of ${path.relative(process.cwd(), other)}; scenario names must be unique`);
    names.set(scenario.name, file);
  }
  return loaded;
}

/** Refuses, in one line naming each file, expectation and what it would need, every expectation the rules settle before the drill runs. */
export function refuseVacuous(loaded: readonly LoadedScenario[]): void {
  const problems = loaded.flatMap((l) => l.vacuous.map((v) => `${path.relative(process.cwd(), l.file)}: expect[${v.index}]: ${v.reason}`));
  if (problems.length > 0) throw badInput(problems.join('; '));
}

/** Picks the named scenarios (all when none is named); an unknown name is bad input. */
export function selectScenarios(all: readonly LoadedScenario[], names: readonly string[]): LoadedScenario[] {
  if (names.length === 0) return [...all];
  return names.map((name) => {
    const found = all.find((s) => s.scenario.name === name);
    if (!found) throw badInput(`scenario '${name}' not found; known: ${all.map((s) => s.scenario.name).join(', ')}`);
    return found;
  });
}

import { createInterface } from 'node:readline/promises';
import type { ScaleRequest } from '../../compile/compile-system.ts';
import type { LoadedConfig } from '../../config/load-config.ts';
import type { EngineRequest } from '../../engine/choose-engine.ts';
import { badInput } from '../../errors.ts';
import { runGameDay } from '../../gameday/run-game-day.ts';
import { formatScenario } from '../../report/console-report.ts';
import { LiveProgress } from '../../report/live-progress.ts';
import { writeRun } from '../run-output.ts';

export interface GameDayFlags {
  readonly scale: ScaleRequest;
  readonly engine: EngineRequest;
  readonly system?: string[];
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly silence?: boolean;
}

/** Asks in a terminal; elsewhere (CI) only `--yes` may start a game day. */
async function askToStart(plan: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw badInput('--stack external: a game day starts only when confirmed; pass --yes (CI), or run it in a terminal; --dry-run prints the plan only');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`${plan}\nstart the game day? type yes: `)).trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

/** `firedrill run --stack external`: a game day on a running stack, its plan confirmed first. */
export async function gameDayCommand(config: LoadedConfig, names: string[], opts: GameDayFlags, outputs: { json: string; html?: string }, signal: AbortSignal): Promise<number | undefined> {
  const progress = new LiveProgress();
  const outcome = await runGameDay({
    config,
    scenarioNames: names,
    scale: opts.scale,
    engine: opts.engine,
    systems: opts.system,
    silence: opts.silence ?? false,
    dryRun: opts.dryRun ?? false,
    confirm: async (plan) => {
      if (!opts.yes) return askToStart(plan);
      console.log(plan);
      return true;
    },
    signal,
    onProgress: (p) => progress.update(p),
    onScenario: (scenario) => {
      progress.clear(scenario.name);
      console.log(`${formatScenario(scenario, 1)}\n`);
    },
  });
  progress.clear();
  if (outcome.kind === 'planned') {
    if (opts.dryRun) console.log(`${outcome.plan}\ndry run: nothing was touched`);
    else console.log('not confirmed: nothing was touched');
    return 0;
  }
  const { result, failure } = outcome;
  writeRun(result, outputs);
  if (result.gameDay?.journalLeft) console.error(`firedrill: ${result.gameDay.journalLeft} fault(s) or silence(s) could not be taken back out; they are in ${result.gameDay.journal}: run firedrill revert`);
  if (failure !== undefined) throw failure;
  return result.ok ? 0 : 1;
}

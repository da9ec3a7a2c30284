import { formatDurationMs, parseDurationMs } from '../duration.ts';
import type { RunResult, VoidAttempt } from '../report/run-result.ts';
import type { Scenario } from '../scenario/define-scenario.ts';
import type { MachineRoom } from '../scenario/run-drills.ts';
import { planContextFor } from '../scenario/plan-context.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { writeStackCosts } from './stack-cost-file.ts';

/** One line on stderr as a drill starts: its stack, its history and timeline in rule time and wall seconds. */
export function announceStart(scenario: Scenario, stack: StartedStack, keep = false): void {
  const { scale } = stack.compiled;
  const historyMs = planContextFor(scenario, stack.compiled).historyMs;
  const timelineMs = parseDurationMs(scenario.duration, 'duration');
  const history = historyMs > 0 ? `${formatDurationMs(historyMs)} of history + ` : '';
  console.error(
    `> ${scenario.name}: stack ready in ${(stack.readyMs / 1000).toFixed(1)}s; running ${history}${scenario.duration} of rule time (${((historyMs + timelineMs) / scale / 1000).toFixed(1)}s wall at scale ${scale})${keep ? `; run directory kept: ${stack.runDir}` : ''}`,
  );
}

/** One line on stderr when a failed attempt is void (the machine interfered) and the drill runs again. */
export function announceVoidAttempt(scenario: Scenario, attempt: VoidAttempt, n: number, nextScale: number): void {
  const where = attempt.scale === undefined || nextScale === attempt.scale ? 'on a fresh stack' : `at scale ${nextScale}, where its \`for\` holds the start-up, on a fresh stack`;
  console.error(`> ${scenario.name}: attempt ${n} failed while ${attempt.machineInterference[0]}${attempt.machineInterference.length > 1 ? ` (and ${attempt.machineInterference.length - 1} more)` : ''}; running it again ${where}`);
}

/** One line on stderr when the first stack still waits for room on a busy machine. */
export function announceWaitingForRoom(room: MachineRoom): void {
  const held = room.heldByStacks > 0 ? `, firedrill stacks already running hold ${Math.round(room.heldByStacks * 100)}% of it` : '';
  console.error(
    `> waiting for room on this machine (load average ${room.loadAverage.toFixed(1)} on ${room.cores} cores${held}); drills start as it frees up (--jobs N starts N at once regardless)`,
  );
}

/** Keeps what this run measured a stack to cost, for the next run's pool size. */
export function rememberStackCost(run: RunResult): void {
  if (run.pool?.measuredStackCosts) writeStackCosts(run.pool.measuredStackCosts, run.stack);
}

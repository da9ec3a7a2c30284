import os from 'node:os';

/** What one stack costs while its drill runs: its processes plus firedrill's engine, sink and pollers for it. */
export interface StackCost {
  /** Cores busy on average (CPU seconds per wall second). */
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

export interface Machine {
  readonly cores: number;
  readonly freeMemoryBytes: number;
}

/**
 * Measured with `npm run bench` on the 2-core reference machine with the Piyasa fixture (two
 * services, Prometheus, Alertmanager): see the README's "Speed" section. A run measures its own
 * stacks and the next run on the same machine sizes its pool from that instead (`.firedrill/stack-cost.json`).
 */
export const REFERENCE_STACK_COST: StackCost = { cpuCores: 0.1, memoryBytes: 400 * 2 ** 20 };

/** Share of the machine a pool may fill: the rest keeps timing exact while the pool runs. */
const CPU_BUDGET = 0.75;
const MEMORY_BUDGET = 0.5;

export function currentMachine(): Machine {
  return { cores: os.availableParallelism(), freeMemoryBytes: os.freemem() };
}

/** How many stacks run at once: as many as the CPU and memory budgets hold, at least one. */
export function poolJobs(cost: StackCost, machine: Machine = currentMachine()): number {
  const byCpu = Math.floor((machine.cores * CPU_BUDGET) / Math.max(cost.cpuCores, 0.01));
  const byMemory = Math.floor((machine.freeMemoryBytes * MEMORY_BUDGET) / Math.max(cost.memoryBytes, 1));
  return Math.max(1, Math.min(byCpu, byMemory));
}

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

/**
 * The share of the machine's pool budget (75% of its cores, 50% of its free memory) one stack of
 * this cost takes: a pool runs stacks while their shares add up to at most 1, so a system whose
 * stacks run a database and three exporters fills it sooner than one of two small services.
 */
export function poolShare(cost: StackCost, machine: Machine = currentMachine()): number {
  const cpu = Math.max(cost.cpuCores, 0.01) / (machine.cores * CPU_BUDGET);
  const memory = Math.max(cost.memoryBytes, 1) / (machine.freeMemoryBytes * MEMORY_BUDGET);
  return Math.max(cpu, memory);
}

import os from 'node:os';
import type { ResolvedSystem } from '../config/resolved-system.ts';

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
 * What a stack costs before any was measured on this machine, from its parts: Prometheus,
 * Alertmanager and firedrill's own share (engine, sink, pollers, proxies), plus each service,
 * and each exporter, managed dependency or simulated host. Fitted on the 2-core reference machine
 * (`npm run bench`: Piyasa, two services, 0.08 cores; THE_BOT, two services, PostgreSQL, Redis,
 * three exporters and a host, 0.13 to 0.16), rounded up so that a first run never overcommits.
 * A run measures its own stacks and the next run sizes its pool from that (`.firedrill/stack-cost.json`).
 */
export function estimatedStackCost(system: Pick<ResolvedSystem, 'services' | 'exporters' | 'dependencies' | 'hosts'>): StackCost {
  const managed = system.dependencies.filter((d) => d.type === 'postgres' || d.type === 'redis').length;
  const helpers = system.exporters.length + managed + system.hosts.length;
  return {
    cpuCores: 0.06 + 0.01 * system.services.length + 0.018 * helpers,
    memoryBytes: (200 + 30 * system.services.length + 40 * helpers) * 2 ** 20,
  };
}

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

import os from 'node:os';
import type { ResolvedSystem } from '../config/resolved-system.ts';

/** What one stack costs while its drill runs: its processes plus firedrill's engine, sink and pollers for it. */
export interface StackCost {
  /** Cores busy on average (CPU seconds per wall second), over drills sending `meanRps`. */
  readonly cpuCores: number;
  readonly memoryBytes: number;
  /** What each request per second more (or less) than `meanRps` adds (or saves), when drills of several rates were measured. */
  readonly cpuCoresPerRps?: number;
  readonly meanRps?: number;
  /** How many stacks it was measured on; none for an estimate. */
  readonly stacks?: number;
}

/** Whatever its traffic, a stack costs at least this share of its system's average (Prometheus, Alertmanager, idle services). */
const MIN_SHARE_OF_AVERAGE = 0.4;

/** The cost of one drill's stack: its system's average, moved by how much more or less traffic the drill sends. */
export function drillCost(cost: StackCost, rps: number): StackCost {
  if (cost.cpuCoresPerRps === undefined || cost.meanRps === undefined) return cost;
  const cpuCores = Math.max(cost.cpuCores * MIN_SHARE_OF_AVERAGE, cost.cpuCores + cost.cpuCoresPerRps * (rps - cost.meanRps));
  return { ...cost, cpuCores };
}

/** Stacks of a system it takes to fit what a request per second costs; fewer price every drill of it at one average. */
export const MIN_STACKS_TO_FIT = 3;

/** One measured stack: CPU seconds over wall seconds at a request rate. */
export interface StackSample {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly rps: number;
}

/**
 * A system's stack cost from its measured stacks: the average cores (CPU over wall, all stacks
 * together) and, from the wall-weighted least-squares line of cores against request rate, what
 * one request per second costs (never below 0: more traffic never makes a stack cheaper).
 */
export function fitStackCost(samples: readonly StackSample[], memoryBytes: number): StackCost {
  const wall = samples.reduce((n, s) => n + s.wallSeconds, 0);
  const cpuCores = samples.reduce((n, s) => n + s.cpuSeconds, 0) / wall;
  const meanRps = samples.reduce((n, s) => n + s.rps * s.wallSeconds, 0) / wall;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += s.wallSeconds * (s.rps - meanRps) * (s.cpuSeconds / s.wallSeconds - cpuCores);
    variance += s.wallSeconds * (s.rps - meanRps) ** 2;
  }
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const base = { cpuCores: round(cpuCores, 3), memoryBytes, stacks: samples.length };
  if (samples.length < MIN_STACKS_TO_FIT || variance / wall < 1) return base;
  return { ...base, cpuCoresPerRps: round(Math.max(0, covariance / variance), 5), meanRps: round(meanRps, 2) };
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
export function estimatedStackCost(system: Pick<ResolvedSystem, 'services' | 'exporters' | 'dependencies' | 'hosts'>, provider: 'native' | 'containers' | 'external' = 'native'): StackCost {
  const managed = system.dependencies.filter((d) => d.type === 'postgres' || d.type === 'redis').length;
  const helpers = system.exporters.length + managed + system.hosts.length;
  const native = {
    cpuCores: 0.06 + 0.01 * system.services.length + 0.018 * helpers,
    memoryBytes: (200 + 30 * system.services.length + 40 * helpers) * 2 ** 20,
  };
  if (provider !== 'containers') return native;
  // Each container also costs docker-compose's starts (a Python program, two per stack), the
  // engine's work and a log follower. Seen in CI: THE_BOT's stacks on containers sized by the
  // native figure ran 14 at once and pushed its healthy p95 past 1 s; 9 at once passed.
  const containers = 2 + system.exporters.length + system.services.filter((s) => s.image !== undefined || s.compose !== undefined).length;
  return { cpuCores: native.cpuCores + CONTAINER_CORES * containers, memoryBytes: native.memoryBytes + 30 * containers * 2 ** 20 };
}

/** What one container adds to a stack's cost beyond its processes' own CPU (see estimatedStackCost). */
export const CONTAINER_CORES = 0.03;

/**
 * Share of the machine a pool may fill: the rest keeps timing exact while the pool runs, and what
 * runs outside the ledger (firedrill's own processes starting, docker-compose, promtool, the test
 * workers) needs it. At 0.75 the test suite's gates side by side twice starved THE_BOT's backend
 * (in two CI runs of six): once its healthy p95 passed 1 s and fired DjangoHighLatency, once its
 * scrapes failed for a minute of rule time while PostgreSQL was stopped and fired
 * DjangoServiceDown on containers. At 0.65 no such run has been seen; at 0.9 HighCPUUsage fired late.
 */
const CPU_BUDGET = 0.65;
/**
 * Share of the machine a run may fill while it is alone in the ledger (no other run holds a claim
 * or waits for one): runs side by side start stacks together and bring processes the ledger does
 * not hold (their own, docker-compose's), a run alone does not. Alone at 0.75, ten gates in a row
 * passed, 162-182 s each against 210-230 s at 0.65, with every timing exact.
 */
const CPU_BUDGET_ALONE = 0.75;
/** How much further than the budget the claims and the load of a run alone may go (MachineBudget's aloneRoom). */
export const ALONE_ROOM = CPU_BUDGET_ALONE / CPU_BUDGET;
const MEMORY_BUDGET = 0.5;

/** The cores a pool may keep busy: the CPU budget's share of the machine's cores. */
export function poolCpuCores(machine: Pick<Machine, 'cores'> = currentMachine()): number {
  return machine.cores * CPU_BUDGET;
}

export function currentMachine(): Machine {
  return { cores: os.availableParallelism(), freeMemoryBytes: os.freemem() };
}

/**
 * The share of the machine's pool budget (65% of its cores, 50% of its free memory) one stack of
 * this cost takes: a pool runs stacks while their shares add up to at most 1, so a system whose
 * stacks run a database and three exporters fills it sooner than one of two small services.
 */
export function poolShare(cost: StackCost, machine: Machine = currentMachine()): number {
  const cpu = Math.max(cost.cpuCores, 0.01) / poolCpuCores(machine);
  const memory = Math.max(cost.memoryBytes, 1) / (machine.freeMemoryBytes * MEMORY_BUDGET);
  return Math.max(cpu, memory);
}

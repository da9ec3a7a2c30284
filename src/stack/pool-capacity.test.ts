import { describe, expect, it } from 'vitest';
import { CONTAINER_CORES, drillCost, estimatedStackCost, fitStackCost, poolShare } from './pool-capacity.ts';

const GiB = 2 ** 30;

describe('poolShare', () => {
  it('is the CPU share of 65% of the cores when CPU is the tighter budget', () => {
    // 0.13 of 1.3 budgeted cores: 10 such stacks fill the pool.
    expect(poolShare({ cpuCores: 0.13, memoryBytes: 0.25 * GiB }, { cores: 2, freeMemoryBytes: 20 * GiB })).toBeCloseTo(1 / 10, 6);
  });

  it('is the memory share of half the free memory when memory is the tighter budget', () => {
    expect(poolShare({ cpuCores: 0.01, memoryBytes: 1 * GiB }, { cores: 8, freeMemoryBytes: 8 * GiB })).toBeCloseTo(1 / 4, 6);
  });

  it('can exceed the whole pool: such a stack runs alone', () => {
    expect(poolShare({ cpuCores: 4, memoryBytes: 64 * GiB }, { cores: 1, freeMemoryBytes: GiB })).toBeGreaterThan(1);
  });
});

describe('estimatedStackCost', () => {
  const parts = (services: number, exporters: number, managed: number, hosts: number) => ({
    services: Array.from({ length: services }, () => ({})),
    exporters: Array.from({ length: exporters }, () => ({})),
    dependencies: Array.from({ length: managed }, () => ({ type: 'postgres' })),
    hosts: Array.from({ length: hosts }, () => ({})),
  }) as unknown as Parameters<typeof estimatedStackCost>[0];

  it('is at least what stacks of the fixtures were measured to cost, so a first run does not overcommit', () => {
    expect(estimatedStackCost(parts(2, 0, 0, 0)).cpuCores).toBeGreaterThanOrEqual(0.08); // Piyasa: measured 0.08
    expect(estimatedStackCost(parts(2, 3, 2, 1)).cpuCores).toBeGreaterThanOrEqual(0.16); // THE_BOT: measured 0.13 to 0.16
  });

  it('grows with every process a stack runs', () => {
    expect(estimatedStackCost(parts(2, 3, 2, 1)).memoryBytes).toBeGreaterThan(estimatedStackCost(parts(2, 0, 0, 0)).memoryBytes);
  });

  it('on containers, adds what each container costs beyond its processes: Prometheus, Alertmanager, each exporter and each service in an image', () => {
    const thebot = { ...parts(2, 3, 2, 1), services: [{ image: 'firedrill/node:local' }, { image: 'firedrill/node:local' }] } as unknown as Parameters<typeof estimatedStackCost>[0];
    const native = estimatedStackCost(thebot, 'native').cpuCores;
    expect(estimatedStackCost(thebot, 'containers').cpuCores).toBeCloseTo(native + 7 * CONTAINER_CORES, 6);
    // A service run from its command stays a local process: no container to pay for.
    expect(estimatedStackCost(parts(2, 0, 0, 0), 'containers').cpuCores).toBeCloseTo(estimatedStackCost(parts(2, 0, 0, 0)).cpuCores + 2 * CONTAINER_CORES, 6);
  });
});

describe('fitStackCost and drillCost', () => {
  it('finds what a request per second costs from stacks of several rates, and prices a drill by its traffic', () => {
    // 0.05 cores idle plus 0.01 per request per second, 40 s each.
    const samples = [5, 10, 20, 25].map((rps) => ({ rps, wallSeconds: 40, cpuSeconds: (0.05 + 0.01 * rps) * 40 }));
    const cost = fitStackCost(samples, 300e6);
    expect(cost).toEqual({ cpuCores: 0.2, memoryBytes: 300e6, stacks: 4, cpuCoresPerRps: 0.01, meanRps: 15 });
    expect(drillCost(cost, 25).cpuCores).toBeCloseTo(0.3, 6);
    expect(drillCost(cost, 5).cpuCores).toBeCloseTo(0.1, 6);
    // Never below 40% of the average, however little a drill sends.
    expect(drillCost(cost, 0).cpuCores).toBeCloseTo(0.08, 6);
  });

  it('keeps the average alone when the drills all sent about the same, or too few were measured', () => {
    expect(fitStackCost([10, 10.5, 10].map((rps) => ({ rps, wallSeconds: 30, cpuSeconds: 3 })), 1e8)).toEqual({ cpuCores: 0.1, memoryBytes: 1e8, stacks: 3 });
    const two = fitStackCost([{ rps: 5, wallSeconds: 30, cpuSeconds: 3 }, { rps: 25, wallSeconds: 30, cpuSeconds: 9 }], 1e8);
    expect(two.cpuCoresPerRps).toBeUndefined();
    expect(drillCost(two, 100)).toBe(two);
  });

  it('never prices more traffic cheaper', () => {
    const cost = fitStackCost([5, 15, 25].map((rps) => ({ rps, wallSeconds: 30, cpuSeconds: (0.3 - 0.005 * rps) * 30 })), 1e8);
    expect(cost.cpuCoresPerRps).toBe(0);
  });
});

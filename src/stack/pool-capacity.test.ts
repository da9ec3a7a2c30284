import { describe, expect, it } from 'vitest';
import { estimatedStackCost, poolShare } from './pool-capacity.ts';

const GiB = 2 ** 30;

describe('poolShare', () => {
  it('is the CPU share of 75% of the cores when CPU is the tighter budget', () => {
    // 0.1 of 1.5 budgeted cores: 15 such stacks fill the pool.
    expect(poolShare({ cpuCores: 0.1, memoryBytes: 0.25 * GiB }, { cores: 2, freeMemoryBytes: 20 * GiB })).toBeCloseTo(1 / 15, 6);
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
});

import { describe, expect, it } from 'vitest';
import { poolJobs } from './pool-capacity.ts';

const GiB = 2 ** 30;

describe('poolJobs', () => {
  it('fills three quarters of the cores at the measured CPU per stack', () => {
    expect(poolJobs({ cpuCores: 0.1, memoryBytes: 0.25 * GiB }, { cores: 2, freeMemoryBytes: 20 * GiB })).toBe(15);
  });

  it('stops at half the free memory when that binds first', () => {
    expect(poolJobs({ cpuCores: 0.01, memoryBytes: 1 * GiB }, { cores: 8, freeMemoryBytes: 8 * GiB })).toBe(4);
  });

  it('runs at least one stack however small the machine', () => {
    expect(poolJobs({ cpuCores: 4, memoryBytes: 64 * GiB }, { cores: 1, freeMemoryBytes: GiB })).toBe(1);
  });
});

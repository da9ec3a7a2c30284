import { describe, expect, it } from 'vitest';
import { HOST_FAULT_KINDS, hostFaultProblems } from './host-fault.ts';

describe('hostFaultProblems', () => {
  it('accepts every kind at the edges of its range', () => {
    expect(hostFaultProblems('cpu', { percent: 0 })).toEqual([]);
    expect(hostFaultProblems('cpu', { percent: 100 })).toEqual([]);
    expect(hostFaultProblems('memory', { percent: 85.5 })).toEqual([]);
    expect(hostFaultProblems('disk_io', { opsPerSecond: 0 })).toEqual([]);
    expect(hostFaultProblems('load', { load1: 12 })).toEqual([]);
    expect(hostFaultProblems('disk_fill', { percent: 90 })).toEqual([]);
    expect(HOST_FAULT_KINDS).toEqual(['cpu', 'memory', 'disk_io', 'load', 'disk_fill']);
  });

  it('names an unknown kind and the kinds there are', () => {
    expect(hostFaultProblems('swap', {})).toEqual(["kind: 'swap' is not a host fault; write one of cpu, memory, disk_io, load, disk_fill"]);
  });

  it('collects every problem, each saying what to write', () => {
    expect(hostFaultProblems('cpu', { percent: 120, pct: 90 })).toEqual([
      'params.percent: 120 is out of range; write a number from 0 to 100, e.g. { percent: 90 }',
      'params.pct: not a parameter of cpu; remove it (cpu takes percent)',
    ]);
    expect(hostFaultProblems('disk_io', {})).toEqual(['params.opsPerSecond: missing; write a number >= 0, e.g. { opsPerSecond: 1500 }']);
    expect(hostFaultProblems('load', { load1: '4' })).toEqual(['params.load1: "4" is a string, not a number; write a number >= 0, e.g. { load1: 4 }']);
    expect(hostFaultProblems('memory', { percent: Number.NaN })).toEqual(['params.percent: NaN is not a finite number; write a number from 0 to 100, e.g. { percent: 85 }']);
    expect(hostFaultProblems('disk_io', { opsPerSecond: -1 })).toEqual(['params.opsPerSecond: -1 is out of range; write a number >= 0, e.g. { opsPerSecond: 1500 }']);
  });
});

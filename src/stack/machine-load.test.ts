import { describe, expect, it } from 'vitest';
import { MachineLoad, parseProcStat, type CpuTimes } from './machine-load.ts';

describe('parseProcStat', () => {
  it('counts user, nice, system, irq, softirq and steal as busy, idle and iowait as not', () => {
    expect(parseProcStat('cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 1 2 3 4\n')).toEqual({ busy: 170, total: 990 });
  });
  it('answers undefined for text that is not /proc/stat', () => {
    expect(parseProcStat('intr 1 2 3')).toBeUndefined();
  });
});

describe('MachineLoad', () => {
  it('answers the cores busy over the window, unknown before a reading is old enough', () => {
    let now = 0;
    let times: CpuTimes = { busy: 0, total: 0 };
    const load = new MachineLoad(3_000, 1_000, 2, () => times, () => now);
    expect(load.busyCores()).toBe('unknown');
    now = 500;
    times = { busy: 50, total: 100 };
    expect(load.busyCores()).toBe('unknown');
    now = 1_000;
    times = { busy: 150, total: 200 }; // 150 of 200 jiffies busy on 2 cores since the first reading
    expect(load.busyCores()).toBeCloseTo(1.5);
    now = 5_000;
    times = { busy: 170, total: 600 }; // since the newest reading at least 3 s old (t=1000): 20 of 400
    expect(load.busyCores()).toBeCloseTo(0.1);
  });
  it('reads afresh after a gap of more than two windows without a reading, rather than averaging over the gap', () => {
    let now = 0;
    let times: CpuTimes = { busy: 0, total: 0 };
    const load = new MachineLoad(3_000, 1_000, 2, () => times, () => now);
    load.busyCores();
    now = 30_000;
    times = { busy: 300, total: 6_000 }; // 30 s mostly idle, nobody asking
    expect(load.busyCores()).toBe('unknown');
    now = 31_000;
    times = { busy: 490, total: 6_200 }; // the last second: 190 of 200 jiffies busy
    expect(load.busyCores()).toBeCloseTo(1.9);
  });
  it('answers undefined where /proc/stat cannot be read', () => {
    expect(new MachineLoad(3_000, 1_000, 2, () => undefined).busyCores()).toBeUndefined();
  });
});

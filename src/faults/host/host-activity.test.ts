import { describe, expect, it } from 'vitest';
import { HostActivity, USER_HZ } from './host-activity.ts';
import type { HostConditions } from './host-conditions.ts';
import { procDiskstats, procLoadavg, procStat } from './procfs-files.ts';

const busy = (percent: number, opsPerSecond = 0, load1 = 0.3): HostConditions => ({
  cpuBusyPercent: [percent, percent],
  memoryUsedPercent: 40,
  diskOpsPerSecond: opsPerSecond,
  load1,
  diskFillPercent: 30,
});

describe('HostActivity', () => {
  it('advances by the time that really passed, however the ticks fall', () => {
    const even = new HostActivity(2, 0.3);
    const ragged = new HostActivity(2, 0.3);
    for (let i = 0; i < 30; i++) even.advance(busy(90, 1500), 0.1);
    // The same 3 s in late, uneven ticks: a busy machine delays timers.
    for (const seconds of [0.35, 0.05, 1.2, 0.4, 0.999, 0.001]) ragged.advance(busy(90, 1500), seconds);
    for (const activity of [even, ragged]) {
      const [user, nice, system, idle, iowait, irq, softirq] = activity.cpuJiffies[0]!;
      expect(idle).toBeCloseTo(0.1 * 3 * USER_HZ, 6);
      expect(user! + nice! + system! + iowait! + irq! + softirq!).toBeCloseTo(0.9 * 3 * USER_HZ, 6);
      expect(activity.disk.readsCompleted + activity.disk.writesCompleted).toBeCloseTo(4500, 6);
      expect(activity.disk.readsCompleted).toBeCloseTo(1800, 6);
      expect(activity.disk.sectorsRead).toBeCloseTo(1800 * 32, 6);
      expect(activity.disk.sectorsWritten).toBeCloseTo(2700 * 16, 6);
    }
  });

  it('writes whole, never-decreasing jiffies with the aggregate line the sum of the CPUs', () => {
    const activity = new HostActivity(2, 0.3);
    activity.advance(busy(15), 10);
    // Per CPU 1000 jiffies: idle 850; busy 150 as user 105, nice 1.5, system 33, irq 3, softirq 7.5.
    expect(procStat(activity)).toBe(['cpu  210 2 66 1700 0 6 14 0 0 0', 'cpu0 105 1 33 850 0 3 7 0 0 0', 'cpu1 105 1 33 850 0 3 7 0 0 0', ''].join('\n'));
    const before = procStat(activity);
    activity.advance(busy(15), 0.001);
    expect(procStat(activity)).toBe(before);
  });

  it('sets load1 at once while load5 and load15 chase it with the kernel time constants', () => {
    const activity = new HostActivity(2, 0.3);
    activity.advance(busy(15, 50, 4), 300);
    expect(activity.load1).toBe(4);
    expect(activity.load5).toBeCloseTo(4 - 3.7 * Math.exp(-1), 6);
    expect(activity.load15).toBeCloseTo(4 - 3.7 * Math.exp(-1 / 3), 6);
    expect(procLoadavg(activity)).toBe('4.00 2.64 1.35 4/184 4242\n');
  });

  it('never counts the disk busier than the time that passed', () => {
    const activity = new HostActivity(1, 0.3);
    activity.advance(busy(15, 1_000_000), 1);
    expect(activity.disk.ioMs).toBe(1000);
    expect(procDiskstats(activity.disk)).toMatch(/^ {3}8 {7}0 sda 400000 40000 12800000 160000 600000 180000 9600000 120000 0 1000 \d+ 0 0 0 0 12000 6000\n$/);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunQueueSampler, runQueueWaitNs } from './run-queue-waits.ts';

const SPIN = 'for (;;) {}';
const children: ChildProcess[] = [];
const spinOnCpu0 = (): ChildProcess => {
  // At the lowest priority, so that the rest of the machine (other test files) is not held back by them.
  const child = spawn('nice', ['-n', '19', 'taskset', '-c', '0', process.execPath, '-e', SPIN], { stdio: 'ignore' });
  children.push(child);
  return child;
};
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** The first field of the same file: the CPU time it ran. */
const cpuNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);

describe('runQueueWaitNs', () => {
  // Real processes on one core: a spinning process sharing CPU 0 with three others spinning runs
  // about a quarter of the time (less when other work lands there) and waits, runnable, the rest.
  it('reads how long a runnable process waited for a CPU: most of a second for one of four spinning on one core', async () => {
    const [watched] = [spinOnCpu0(), spinOnCpu0(), spinOnCpu0(), spinOnCpu0()];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = watched!.pid!;
    const [wait0, cpu0] = [runQueueWaitNs(pid)!, cpuNs(pid)];
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const [waited, ran] = [(runQueueWaitNs(pid)! - wait0) / 1e6, (cpuNs(pid) - cpu0) / 1e6];
    // Three of four shares waiting: about 750 ms of the second; the CPU time is the other field.
    expect(waited).toBeGreaterThan(450);
    expect(waited).toBeGreaterThan(ran);
  });

  it('is undefined for a process that is gone', () => {
    expect(runQueueWaitNs(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('RunQueueSampler', () => {
  it('answers the wait between the samples that bracket a span, from one process only', () => {
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      let pid = 10;
      let waitNs = 0;
      const sampler = new RunQueueSampler(() => new Map([['backend', pid]]), 60_000, () => waitNs);
      sampler.start(); // at 1,000: 0
      now = 1_250;
      waitNs = 40e6;
      const mid = sampler.stop(); // 1,250: 40 ms
      expect(mid.waitedMs('backend', 1_000, 1_250)).toBe(40);
      expect(mid.waitedMs('backend', 1_100, 1_200)).toBe(40); // bracketed by 1,000 and 1,250
      expect(mid.waitedMs('backend', 900, 1_200)).toBeUndefined(); // nothing sampled before 900
      expect(mid.waitedMs('backend', 1_100, 1_300)).toBeUndefined(); // nothing after 1,300
      expect(mid.waitedMs('frontend', 1_000, 1_250)).toBeUndefined();
      pid = 11; // restarted: its counter starts again
      now = 1_500;
      waitNs = 1e6;
      const restarted = sampler.stop();
      expect(restarted.waitedMs('backend', 1_100, 1_400)).toBeUndefined();
    } finally {
      vi.restoreAllMocks();
    }
  });
});

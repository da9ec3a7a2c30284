import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunQueueSampler, schedStat, type SchedStat } from './run-queue-waits.ts';

/** The first core this process may run on: the spinners share it. */
const core = (/^Cpus_allowed_list:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8')) ?? [])[1] ?? '0';
// Bounded: a spinner outlives nothing by more than a few seconds, even if this worker is killed.
const SPIN = 'const end = Date.now() + 5_000; while (Date.now() < end) {}';
const children: ChildProcess[] = [];
const spinOnOneCore = (): ChildProcess => {
  // At the lowest priority, so that the rest of the machine (other test files) is not held back by them.
  const child = spawn('nice', ['-n', '19', 'taskset', '-c', core, process.execPath, '-e', SPIN], { stdio: 'ignore' });
  children.push(child);
  return child;
};
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe.runIf(process.platform === 'linux')('schedStat', () => {
  // Real processes on one core: a spinning process sharing it with three others spinning runs
  // about a quarter of the time (less when other work lands there) and waits, runnable, the rest.
  it('reads how long a runnable process waited for a CPU and how long it ran: most of a second waiting for one of four spinning on one core', async () => {
    const [watched] = [spinOnOneCore(), spinOnOneCore(), spinOnOneCore(), spinOnOneCore()];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pid = watched!.pid!;
    const first = schedStat(pid)!;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const last = schedStat(pid)!;
    const [waited, ran] = [(last.waitNs - first.waitNs) / 1e6, (last.ranNs - first.ranNs) / 1e6];
    // Three of four shares waiting: about 750 ms of the second, and about 250 ms run (less of both
    // run and more waited when other work lands on that core: the spinners are at the lowest priority).
    expect(waited).toBeGreaterThan(450);
    expect(waited).toBeGreaterThan(ran);
  });

  it('is undefined for a process that is gone', () => {
    expect(schedStat(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('RunQueueSampler', () => {
  it('answers what the thread did between the samples that bracket a span, from one process only, and only when they are close', () => {
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      let pid = 10;
      let stat: SchedStat = { ranNs: 0, waitNs: 0 };
      const sample = (atMs: number, ranMs: number, waitedMs: number) => {
        now = atMs;
        stat = { ranNs: ranMs * 1e6, waitNs: waitedMs * 1e6 };
      };
      const sampler = new RunQueueSampler(() => new Map([['backend', pid]]), 250, () => stat);
      sampler.start(); // at 1,000: nothing yet
      sample(1_250, 10, 40);
      const waits = sampler.stop();
      expect(waits.during('backend', 1_000, 1_250)).toEqual({ ranMs: 10, waitedMs: 40 });
      expect(waits.during('backend', 1_100, 1_200)).toEqual({ ranMs: 10, waitedMs: 40 }); // bracketed by 1,000 and 1,250
      expect(waits.during('backend', 900, 1_200)).toBeUndefined(); // nothing sampled before 900
      expect(waits.during('backend', 1_100, 1_300)).toBeUndefined(); // nothing after 1,300
      expect(waits.during('frontend', 1_000, 1_250)).toBeUndefined();
      expect(sampler.stop()).toBe(waits);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('answers nothing across a restart, or across samples further apart than the span and a period at each end', () => {
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      let pid = 10;
      const sampler = new RunQueueSampler(() => new Map([['backend', pid]]), 250, () => ({ ranNs: 0, waitNs: 1e6 * now }));
      sampler.start(); // at 1,000
      now = 2_000; // firedrill held up: no sample in between
      const late = sampler.stop();
      // 1,000 to 2,000 is further apart than a 200 ms span and 250 ms at each end; 1,000 ms and 250 ms at each end is not.
      expect(late.during('backend', 1_200, 1_400)).toBeUndefined();
      expect(late.during('backend', 1_000, 2_000)).toEqual({ ranMs: 0, waitedMs: 1_000 });

      const restarted = new RunQueueSampler(() => new Map([['backend', pid]]), 250, () => ({ ranNs: 0, waitNs: 0 }));
      now = 3_000;
      restarted.start();
      pid = 11; // its counters start again
      now = 3_100;
      expect(restarted.stop().during('backend', 3_000, 3_100)).toBeUndefined();
    } finally {
      vi.restoreAllMocks();
    }
  });
});

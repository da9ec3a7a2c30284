import { describe, expect, it } from 'vitest';
import { runPool, type PoolJob } from './stack-pool.ts';

/** A job that records when it ran and finishes when told to (or fails). */
function job(name: string, estimateMs: number, log: string[], outcome: 'ok' | 'fail' = 'ok'): PoolJob<string> & { release(): void } {
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    name,
    estimateMs,
    release: () => release(),
    async run(signal) {
      log.push(`start ${name}`);
      await Promise.race([done, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
      log.push(`${signal.aborted ? 'aborted' : 'end'} ${name}`);
      if (outcome === 'fail') throw new Error(`${name} broke`);
      return `${name} result`;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runPool', () => {
  it('starts the longest jobs first and never runs more than its capacity at once; results come back in input order', async () => {
    const log: string[] = [];
    const short = job('short', 1, log);
    const long = job('long', 100, log);
    const middle = job('middle', 50, log);
    const running = runPool([short, long, middle], { capacity: 2 });
    await tick();
    expect(log).toEqual(['start long', 'start middle']);
    middle.release();
    await tick();
    expect(log).toEqual(['start long', 'start middle', 'end middle', 'start short']);
    short.release();
    long.release();
    expect(await running).toEqual({ results: ['short result', 'long result', 'middle result'], peakRunning: 2 });
  });

  it('on the first failure starts nothing more, aborts the running jobs, waits for them and rethrows', async () => {
    const log: string[] = [];
    const failing = job('failing', 100, log, 'fail');
    const other = job('other', 90, log);
    const queued = job('queued', 1, log);
    const running = runPool([failing, other, queued], { capacity: 2 });
    await tick();
    failing.release();
    await expect(running).rejects.toThrow('failing broke');
    expect(log).toEqual(['start failing', 'start other', 'end failing', 'aborted other']);
  });

  it('an outer abort (Ctrl-C) reaches every running job and nothing new starts', async () => {
    const log: string[] = [];
    const ctrlC = new AbortController();
    const running = runPool([job('a', 2, log), job('b', 1, log)], { capacity: 1, signal: ctrlC.signal });
    await tick();
    ctrlC.abort();
    expect((await running).results).toEqual(['a result', undefined]); // a ran (and saw the abort); b never started
    expect(log).toEqual(['start a', 'aborted a']);
  });

  it('weighs jobs by what they cost: two heavy stacks, or a heavy and three light ones, in order', async () => {
    const log: string[] = [];
    const heavy1 = { ...job('heavy1', 100, log), weight: 0.5 };
    const heavy2 = { ...job('heavy2', 90, log), weight: 0.5 };
    const lights = [1, 2, 3].map((i) => ({ ...job(`light${i}`, 10 - i, log), weight: 0.15 }));
    const running = runPool([heavy1, heavy2, ...lights], { capacity: 1 });
    await tick();
    expect(log).toEqual(['start heavy1', 'start heavy2']);
    heavy2.release();
    await tick();
    expect(log.slice(2)).toEqual(['end heavy2', 'start light1', 'start light2', 'start light3']);
    heavy1.release();
    for (const light of lights) light.release();
    expect((await running).peakRunning).toBe(4);
  });

  it('runs a job heavier than the whole capacity, alone', async () => {
    const log: string[] = [];
    const huge = { ...job('huge', 10, log), weight: 3 };
    const small = job('small', 1, log);
    const running = runPool([huge, small], { capacity: 1 });
    await tick();
    expect(log).toEqual(['start huge']);
    huge.release();
    await tick();
    small.release();
    expect((await running).peakRunning).toBe(1);
  });

  it('refuses a pool with no capacity', async () => {
    await expect(runPool([], { capacity: 0 })).rejects.toThrow('a pool needs a capacity above 0, got 0');
  });
});

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
  it('starts the longest jobs first and never runs more than `jobs` at once; results come back in input order', async () => {
    const log: string[] = [];
    const short = job('short', 1, log);
    const long = job('long', 100, log);
    const middle = job('middle', 50, log);
    const running = runPool([short, long, middle], { jobs: 2 });
    await tick();
    expect(log).toEqual(['start long', 'start middle']);
    middle.release();
    await tick();
    expect(log).toEqual(['start long', 'start middle', 'end middle', 'start short']);
    short.release();
    long.release();
    expect(await running).toEqual(['short result', 'long result', 'middle result']);
  });

  it('on the first failure starts nothing more, aborts the running jobs, waits for them and rethrows', async () => {
    const log: string[] = [];
    const failing = job('failing', 100, log, 'fail');
    const other = job('other', 90, log);
    const queued = job('queued', 1, log);
    const running = runPool([failing, other, queued], { jobs: 2 });
    await tick();
    failing.release();
    await expect(running).rejects.toThrow('failing broke');
    expect(log).toEqual(['start failing', 'start other', 'end failing', 'aborted other']);
  });

  it('an outer abort (Ctrl-C) reaches every running job and nothing new starts', async () => {
    const log: string[] = [];
    const ctrlC = new AbortController();
    const running = runPool([job('a', 2, log), job('b', 1, log)], { jobs: 1, signal: ctrlC.signal });
    await tick();
    ctrlC.abort();
    expect(await running).toEqual(['a result', undefined]); // a ran (and saw the abort); b never started
    expect(log).toEqual(['start a', 'aborted a']);
  });

  it('refuses a pool with no slot', async () => {
    await expect(runPool([], { jobs: 0 })).rejects.toThrow('a pool needs at least 1 job slot, got 0');
  });
});

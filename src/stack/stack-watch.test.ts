import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { probeEveryMs, StackWatch, type WatchedComponent } from './stack-watch.ts';

const TIMINGS = { pollMs: 100, hangMs: 2_000 } as const;

/** A component whose state and health answers the test sets, counting the health requests it gets. */
function component(name: string) {
  const state = { story: undefined as string | undefined, hung: false, faulted: false, probes: 0, stateReads: 0 };
  const watched: WatchedComponent = {
    name,
    exited: () => (state.stateReads++, state.story),
    probe: (timeoutMs) => {
      state.probes++;
      return state.hung ? new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs)) : Promise.resolve();
    },
    faulted: () => state.faulted,
  };
  return { state, watched };
}

describe('StackWatch', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('reads every state each poll, but sends health requests only every quarter of the hang time', async () => {
    const api = component('service api');
    const watch = new StackWatch([api.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(10_000);
    watch.stop();
    expect(probeEveryMs(TIMINGS)).toBe(500);
    expect(api.state.stateReads).toBe(100);
    expect(api.state.probes).toBe(20);
    expect(watch.failure).toBeUndefined();
  });

  it('never probes more often than it polls', () => {
    expect(probeEveryMs({ pollMs: 1_000, hangMs: 2_000 })).toBe(1_000);
  });

  it('fails on a death within one poll, naming the component and what was seen, and aborts its signal', async () => {
    const api = component('service api');
    const watch = new StackWatch([component('prometheus').watched, api.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(1_000);
    api.state.story = 'exited (signal SIGKILL)';
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(watch.signal.aborted).toBe(true);
    expect(watch.failure?.message).toBe('service api exited (signal SIGKILL)');
  });

  it('fails on a hang within the hang time plus one probe interval', async () => {
    const worker = component('service worker');
    const watch = new StackWatch([worker.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(1_000);
    worker.state.hung = true;
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs + probeEveryMs(TIMINGS) - 1);
    expect(watch.failure?.message).toMatch(/^service worker stopped answering: no health answer within 2s \(timed out after 2000ms\)$/);
  });

  it('does not call a component the drill faulted hung', async () => {
    const worker = component('service worker');
    const watch = new StackWatch([worker.watched], TIMINGS, 'run');
    watch.start();
    worker.state.faulted = true;
    worker.state.hung = true;
    await vi.advanceTimersByTimeAsync(10_000);
    watch.stop();
    expect(watch.failure).toBeUndefined();
  });

  it('check() by hand sends health requests at once', async () => {
    const worker = component('service worker');
    worker.state.hung = true;
    const watch = new StackWatch([worker.watched], TIMINGS, 'run');
    const checked = watch.check();
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs);
    expect((await checked)?.message).toMatch(/^service worker stopped answering/);
    expect(worker.state.probes).toBe(1);
  });
});

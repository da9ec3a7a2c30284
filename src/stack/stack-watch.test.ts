import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollsPerProbe, StackWatch, type WatchedComponent } from './stack-watch.ts';

/** Polls every 100 ms, probes every 500 ms (5 polls), calls a hang after 2 s. */
const TIMINGS = { pollMs: 100, hangMs: 2_000, probeMs: 500 } as const;

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
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('reads every state each poll, but sends health requests only every probe interval', async () => {
    const api = component('service api');
    const watch = new StackWatch([api.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(10_000);
    watch.stop();
    expect(api.state.stateReads).toBe(100);
    expect(api.state.probes).toBe(20);
    expect(watch.failure).toBeUndefined();
  });

  it('probes every poll by default, and never less often than the probe interval asks', () => {
    expect(pollsPerProbe({ pollMs: 375, hangMs: 5_000 })).toBe(1);
    expect(pollsPerProbe({ pollMs: 375, hangMs: 5_000, probeMs: 1_250 })).toBe(3); // every 1125 ms
    expect(pollsPerProbe({ pollMs: 1_000, hangMs: 2_000, probeMs: 500 })).toBe(1);
  });

  it('fails on a death within one poll, even while a hung component holds a health round open', async () => {
    const worker = component('service worker');
    const api = component('service api');
    const watch = new StackWatch([worker.watched, api.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(1_000);
    worker.state.hung = true;
    await vi.advanceTimersByTimeAsync(600); // a round is now waiting on the worker
    api.state.story = 'exited (signal SIGKILL)';
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(watch.signal.aborted).toBe(true);
    expect(watch.failure?.message).toBe('service api exited (signal SIGKILL)');
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs); // the worker's round ends: the first failure stays
    expect(watch.failure?.message).toBe('service api exited (signal SIGKILL)');
    expect((watch.signal.reason as Error).message).toBe('service api exited (signal SIGKILL)');
  });

  it('names the death, not a hang, when a killed process resets its health request before its exit is seen', async () => {
    const worker = component('service worker');
    worker.watched.probe = () => {
      setTimeout(() => (worker.state.story = 'exited (signal SIGKILL)'), 10); // the exit arrives after the reset
      return Promise.reject(new Error('read ECONNRESET'));
    };
    const watch = new StackWatch([worker.watched], TIMINGS, 'run');
    const checked = watch.check();
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect((await checked)?.message).toBe('service worker exited (signal SIGKILL)');
  });

  it('fails on a hang within the hang time plus one probe interval', async () => {
    const worker = component('service worker');
    const watch = new StackWatch([worker.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(1_000);
    worker.state.hung = true;
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs + TIMINGS.probeMs);
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
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs + TIMINGS.pollMs); // the answer's wait, then one more state read
    expect((await checked)?.message).toMatch(/^service worker stopped answering/);
    expect(worker.state.probes).toBe(1);
  });

  /** A started watch whose second round (at 600 ms) waits on a hung worker. */
  async function roundInFlight() {
    const worker = component('service worker');
    const watch = new StackWatch([worker.watched], TIMINGS, 'run');
    watch.start();
    await vi.advanceTimersByTimeAsync(450);
    worker.state.hung = true;
    await vi.advanceTimersByTimeAsync(200);
    expect(worker.state.probes).toBe(2);
    return watch;
  }

  it('check() by hand while a round is in flight waits for that round: a hung observer is never reported healthy', async () => {
    const watch = await roundInFlight();
    const checked = watch.check();
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs + TIMINGS.pollMs); // the answer's wait, then one more state read
    expect((await checked)?.message).toMatch(/^service worker stopped answering/);
  });

  it('a health request still in flight when the watch is stopped fails nothing', async () => {
    const watch = await roundInFlight();
    watch.stop(); // the stack is being stopped on purpose
    await vi.advanceTimersByTimeAsync(TIMINGS.hangMs);
    expect(watch.failure).toBeUndefined();
    expect(watch.signal.aborted).toBe(false);
  });
});

// The attempts loop of runDrills, on stand-in stacks and scripted drill outcomes: how many stacks a
// drill takes, at which scale, what its result keeps of a void attempt, and that every stack stops.
// The drills themselves, on real stacks, are verify/machine-interference.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { loadConfig } from '../config/load-config.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { runDrills } from './run-drills.ts';
import type { EarlySeries, RetryHints } from './machine-interference.ts';
import type { DrillOutcome, DrillResult } from './run-scenario.ts';

const script = vi.hoisted(() => ({
  /** What happened, in order: `start <scale>`, `drill <scale>`, `stop <scale>`. */
  events: [] as string[],
  /** What each attempt's drill comes to, in turn: its result and retry hints, or an error it throws. */
  outcomes: [] as ((Partial<DrillResult> & RetryHints) | Error)[],
}));

/** The machine's ledger of stacks, held shut until the test opens it (`open`). */
const room = vi.hoisted(() => ({ shut: false, open: () => undefined as void }));
vi.mock('../stack/machine-budget.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../stack/machine-budget.ts')>()),
  machineBudget: () => ({
    held: () => 0.75,
    claim: () => {
      const claim = { release: () => undefined, renew: () => undefined, [Symbol.dispose]: () => undefined };
      return room.shut ? new Promise((resolve) => (room.open = () => resolve(claim))) : Promise.resolve(claim);
    },
  }),
}));
vi.mock('../stack/required-tools.ts', () => ({ requireStackTools: () => undefined }));
vi.mock('../stack/stack-providers.ts', () => ({
  providerFor: () => ({
    name: 'native',
    start: async (compiled: CompiledSystem) => {
      script.events.push(`start ${compiled.scale}`);
      return {
        provider: 'native',
        compiled,
        readyMs: 1000,
        queuedMs: 0,
        usage: () => ({ cpuSeconds: 1, rssBytes: 1 }),
        stop: async () => undefined,
        [Symbol.asyncDispose]: async () => void script.events.push(`stop ${compiled.scale}`),
      } as unknown as StartedStack;
    },
  }),
}));
vi.mock('./run-scenario.ts', () => ({
  runScenario: async (stack: StartedStack): Promise<DrillOutcome> => {
    script.events.push(`drill ${stack.compiled.scale}`);
    const next = script.outcomes.shift();
    if (next === undefined) throw new Error('the test scripted fewer attempts than the loop ran');
    if (next instanceof Error) throw next;
    const { rerunScale, pendingBeforeFaults, ...scripted } = next;
    const ok = scripted.expectations?.every((e) => e.ok) ?? true;
    const result: DrillResult = {
      name: 'worker-restart',
      ok,
      historySeconds: 6,
      startedAt: new Date(Date.now() - 30_000).toISOString(),
      endedAt: new Date().toISOString(),
      traffic: { requests: 0, achievedRps: 0, statuses: {}, dropped: 0, checkFailures: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, thresholds: [] },
      faults: [],
      alerts: [],
      expectations: [],
      power: [],
      ...scripted,
    };
    return { result, retry: { ...(rerunScale !== undefined ? { rerunScale } : {}), ...(pendingBeforeFaults ? { pendingBeforeFaults } : {}) } };
  },
}));

const config = await loadConfig('firedrill.config.ts');
const starved = 'a scrape of job piyasa-worker (worker:9101) at +1.1s ran out its 250 ms timeout with no fault in effect: the machine starved it';
const held = { description: 'WorkerDown does not fire', ok: true, kind: 'doesNotFire' as const, alert: 'WorkerDown', detail: 'did not fire' };
const fired = { ...held, ok: false, detail: 'WorkerDown{service="worker"} fired' };

async function drill() {
  const voided: { n: number; nextScale: number; scale: number | undefined }[] = [];
  const after: number[] = [];
  const run = await runDrills({
    config,
    scenarioNames: ['worker-restart'],
    scale: 40,
    stack: 'native',
    engine: 'builtin',
    jobs: 1,
    upstreamChecks: false,
    onVoidAttempt: (_, attempt, n, nextScale) => voided.push({ n, nextScale, scale: attempt.scale }),
    afterScenario: async (_, stack) => void after.push(stack.compiled.scale),
  });
  return { run, result: run.scenarios[0]!, voided, after };
}

beforeEach(() => {
  script.events.length = 0;
  script.outcomes.length = 0;
});

describe('the attempts of a drill', () => {
  it('is one stack when the drill passes', async () => {
    script.outcomes.push({ expectations: [held] });
    const { result, voided, after } = await drill();
    expect(script.events).toEqual(['start 40', 'drill 40', 'stop 40']);
    expect([result.ok, result.voidAttempts, voided, after]).toEqual([true, undefined, [], [40]]);
  });

  it('is one stack when the drill fails on a quiet machine: that failure is the verdict', async () => {
    script.outcomes.push({ expectations: [fired] });
    const { result, voided } = await drill();
    expect(script.events).toEqual(['start 40', 'drill 40', 'stop 40']);
    expect([result.ok, result.voidAttempts, voided]).toEqual([false, undefined, []]);
  });

  it('runs again on a fresh stack, the first stopped before, when the machine interfered; the second attempt decides and the first is kept', async () => {
    script.outcomes.push({ expectations: [fired], machineInterference: [starved] }, { expectations: [held] });
    const { result, voided, after } = await drill();
    expect(script.events).toEqual(['start 40', 'drill 40', 'stop 40', 'start 40', 'drill 40', 'stop 40']);
    expect(result.ok).toBe(true);
    expect(result.voidAttempts).toEqual([{ startedAt: expect.any(String), endedAt: expect.any(String), scale: 40, failed: ['WorkerDown does not fire: WorkerDown{service="worker"} fired'], machineInterference: [starved] }]);
    expect(voided).toEqual([{ n: 1, nextScale: 40, scale: 40 }]);
    // The gate's checks after a drill (contract, dashboards) run once, on the attempt that stands.
    expect(after).toEqual([40]);
  });

  it('runs at most twice: a second attempt the machine interfered with fails', async () => {
    script.outcomes.push({ expectations: [fired], machineInterference: [starved] }, { expectations: [fired], machineInterference: [starved] });
    const { run, result } = await drill();
    expect(script.events.filter((e) => e.startsWith('drill'))).toHaveLength(2);
    expect([run.ok, result.ok, result.voidAttempts?.length, result.machineInterference]).toEqual([false, false, 1, [starved]]);
  });

  it('runs the second attempt at the scale the first asked for when a start-up outlasted `for`, and compiles the system at it', async () => {
    script.outcomes.push({ expectations: [fired], machineInterference: ['WorkerDown fired while restart(worker) was down 3.9s ...'], rerunScale: 14 }, { expectations: [held] });
    const { result, voided, after } = await drill();
    expect(script.events).toEqual(['start 40', 'drill 40', 'stop 40', 'start 14', 'drill 14', 'stop 14']);
    expect([result.scale, result.voidAttempts?.[0]?.scale, voided, after]).toEqual([14, 40, [{ n: 1, nextScale: 14, scale: 40 }], [14]]);
    // The result is the scenario's own: no trace of the loop's hint in it.
    expect(result).not.toHaveProperty('rerunScale');
  });

  it('ignores a scale asked for that is not lower', async () => {
    script.outcomes.push({ expectations: [fired], machineInterference: [starved], rerunScale: 40 }, { expectations: [held] });
    const { result } = await drill();
    expect(script.events.filter((e) => e.startsWith('start'))).toEqual(['start 40', 'start 40']);
    expect(result.scale).toBe(40);
  });

  it('stops the stack when the drill throws, and throws that', async () => {
    script.outcomes.push(new Error('Prometheus went away'));
    await expect(drill()).rejects.toThrow('Prometheus went away');
    expect(script.events).toEqual(['start 40', 'drill 40', 'stop 40']);
  });
});

describe('rules that fire on healthy traffic, across the drills of a run', () => {
  const early = (alert: string) => `${alert} went pending at +0.4s, 7.1s before the first fault: the system was not healthy when the faults began (a busy machine, or a rule that fires on healthy traffic: the second attempt tells)`;
  /** One series, as a drill's report names it, and as the loop tells it from every other (name and every label). */
  const X: EarlySeries = { alert: 'HighLLMErrorRate{provider="groq"}', series: 'HighLLMErrorRate[["provider","groq"],["service","llm"]]' };
  const Y: EarlySeries = { alert: 'WorkerDown{service="worker"}', series: 'WorkerDown[["service","worker"]]' };
  const failedEarly = (...series: EarlySeries[]) => ({ expectations: [fired], machineInterference: series.map((s) => early(s.alert)), pendingBeforeFaults: series });
  /** Two drills, one after the other (of one system unless named otherwise). */
  const twoDrills = (names = ['worker-restart', 'worker-outage']) => runDrills({ config, scenarioNames: names, scale: 40, stack: 'native', engine: 'builtin', jobs: 1, upstreamChecks: false });
  const drills = () => script.events.filter((e) => e.startsWith('drill')).length;

  it('runs a later drill once when a drill before it showed the same series early on both attempts, and says why apart from what the machine did', async () => {
    script.outcomes.push(failedEarly(X), failedEarly(X), failedEarly(X));
    const run = await twoDrills();
    expect(drills()).toBe(3);
    const rerun = run.scenarios.filter((r) => r.voidAttempts !== undefined);
    const once = run.scenarios.filter((r) => r.voidAttempts === undefined);
    expect([rerun.length, rerun[0]!.voidAttempts!.length, once.length]).toEqual([1, 1, 1]);
    expect([once[0]!.ok, once[0]!.machineInterference]).toEqual([false, [early(X.alert)]]);
    expect(once[0]!.notRunAgain).toMatch(
      /^HighLLMErrorRate\{provider="groq"\} went pending before the faults on both attempts of worker-(restart|outage) too, so the run takes its rule to fire on healthy traffic, not on a busy machine alone, and keeps this failure$/,
    );
    expect(rerun[0]).not.toHaveProperty('notRunAgain');
    // The results keep no trace of the loop's hints.
    for (const r of run.scenarios) expect(Object.keys(r)).not.toContain('pendingBeforeFaults');
    for (const r of run.scenarios) expect(Object.keys(r)).not.toContain('retry');
  });

  it('runs the later drill twice when the earlier second attempt passed (the machine, then)', async () => {
    script.outcomes.push(failedEarly(X), { expectations: [held] }, failedEarly(X), { expectations: [held] });
    await twoDrills();
    expect(drills()).toBe(4);
  });

  it('runs the later drill twice when the earlier second attempt failed without the series early', async () => {
    script.outcomes.push(failedEarly(X), { expectations: [fired], machineInterference: [starved] }, failedEarly(X), { expectations: [held] });
    const run = await twoDrills();
    expect(drills()).toBe(4);
    expect(run.scenarios.map((r) => r.notRunAgain)).toEqual([undefined, undefined]);
  });

  it('runs the later drill twice when its early series is another one that the report names alike', async () => {
    const twin: EarlySeries = { alert: X.alert, series: 'HighLLMErrorRate[["provider","groq"],["service","llm-canary"]]' };
    script.outcomes.push(failedEarly(X), failedEarly(X), failedEarly(twin), failedEarly(twin));
    await twoDrills();
    expect(drills()).toBe(4);
  });

  it("runs the later drill twice when the drill that showed the series early was another system's", async () => {
    script.outcomes.push(failedEarly(X), failedEarly(X), failedEarly(X), failedEarly(X));
    const run = await twoDrills(['worker-restart', 'thebot-cpu']);
    expect(new Set(run.scenarios.map((r) => r.system)).size).toBe(2);
    expect(drills()).toBe(4);
  });

  it('runs the later drill twice when another series was early too, or anything else interfered', async () => {
    script.outcomes.push(failedEarly(X), failedEarly(X), failedEarly(X, Y), failedEarly(X, Y));
    await twoDrills();
    expect(drills()).toBe(4);
    script.events.length = 0;
    script.outcomes.push(failedEarly(X), failedEarly(X), { ...failedEarly(X), machineInterference: [early(X.alert), starved], pendingBeforeFaults: undefined }, failedEarly(X));
    const run = await twoDrills();
    expect(drills()).toBe(4);
    // Its second attempt stands as any second attempt does: no word of not running again.
    expect(run.scenarios.map((r) => [r.machineInterference, r.notRunAgain])).toEqual([
      [[early(X.alert)], undefined],
      [[early(X.alert)], undefined],
    ]);
  });
});

describe('a run on a busy machine', () => {
  it('says once, when its first stack has waited 5 s for room, what holds the machine, and then runs', async () => {
    script.outcomes.push({ expectations: [held] });
    room.shut = true;
    const waits: { cores: number; loadAverage: number; heldByStacks: number }[] = [];
    const running = runDrills({ config, scenarioNames: ['worker-restart'], scale: 40, stack: 'native', engine: 'builtin', upstreamChecks: false, onWaitingForRoom: (r) => waits.push(r) });
    await vi.waitFor(() => expect(waits).toHaveLength(1), { timeout: 10_000, interval: 100 });
    expect(waits[0]).toMatchObject({ heldByStacks: 0.75, cores: expect.any(Number), loadAverage: expect.any(Number) });
    expect(script.events).toEqual([]); // nothing started while it waited
    room.shut = false;
    room.open();
    const run = await running;
    expect([run.ok, waits.length, script.events]).toEqual([true, 1, ['start 40', 'drill 40', 'stop 40']]);
  });
});

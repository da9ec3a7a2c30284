import { describe, expect, it } from 'vitest';
import { at, makeTrace } from '../expect/test-traces.ts';
import { clock, formatRunSummary, formatScenario } from './console-report.ts';
import type { RunResult } from './run-result.ts';
import { drillResult } from './test-results.ts';

const result = drillResult({
  faults: [{ target: 'worker', kind: 'restart', injectedAt: at(7.5), revertedAt: at(7.5), downSeconds: 0.6 }],
  alerts: [
    makeTrace({
      alertname: 'HighLLMErrorRate',
      labels: { alertname: 'HighLLMErrorRate', provider: 'gemini', severity: 'warning' },
      episodes: [
        { pendingAt: at(9), firingAt: null, resolvedAt: at(9.75) },
        { pendingAt: at(12), firingAt: at(19.5), resolvedAt: at(27) },
      ],
    }),
    makeTrace({ alertname: 'HighLLMErrorRate', labels: { alertname: 'HighLLMErrorRate', provider: 'groq', severity: 'warning' }, firingAt: null, resolvedAt: at(11) }),
  ],
  expectations: [
    {
      description: 'HighLLMErrorRate{provider="gemini"} fires within its for window',
      ok: false,
      detail: 'detected late',
      series: { query: 'ratio', threshold: '> 0.15', thresholdValue: 0.15, series: [{ labels: { provider: 'gemini' }, points: [{ label: 'before the fault', at: at(7), value: 0.004 }, { label: 'at the end', at: at(30), value: 0.2 }], values: [] }] },
    },
  ],
  power: [{ alert: 'HighLLMErrorRate', window: '5m', events: 12, floor: 20, enough: false, largestScale: 24, at: at(19.5), query: 'q' }],
});

describe('the console report of a drill', () => {
  const text = formatScenario(result, 40);

  it('shows the history, times in wall seconds with rule time beside them, and how long a restart kept the service down', () => {
    expect(text).toContain('  history   4m of healthy traffic (6s wall) before the scenario\'s timeline');
    expect(text).toContain('restart(worker) injected +7.5s [5m], reverted +7.5s [5m], down 0.6s [24s]');
  });

  it('names each trace by the labels that tell it from its siblings and lists every episode, near misses included', () => {
    expect(text).toContain('    HighLLMErrorRate{provider="gemini"}');
    expect(text).toContain('    HighLLMErrorRate{provider="groq"}');
    expect(text).toContain('      episode 1: pending +9.0s [6m]  never fired (a near miss)  resolved +9.8s [6m30s]');
    expect(text).toContain('      episode 2: pending +12.0s [8m]  firing +19.5s [13m]  resolved +27.0s [18m]');
  });

  it('shows what the rule watched over the drill under a failed verdict, and warns of a window with too few events', () => {
    expect(text).toContain('         value{provider="gemini"}: before the fault 0.004, at the end 0.2; threshold > 0.15');
    expect(text).toContain('  power     WARN HighLLMErrorRate: a 5m window held 12 events at scale 40, fewer than 20: the verdict rests on too little; run at --scale 24 or less, or drive more of them');
  });

  it('says what the machine did to the drill, and shows each void attempt with its evidence and first failure', () => {
    const retried = formatScenario(
      {
        ...result,
        machineInterference: ['restart(worker) came back 0.1s after its gap (real time, 4s of rule time at scale 40)'],
        voidAttempts: [{ startedAt: at(-40), endedAt: at(-10), scale: 40, failed: ['TargetDown does not fire: fired at +1.3s'], machineInterference: ['a scrape of job api (api:8080) at +1.1s ran out its 250 ms timeout with no fault in effect: the machine starved it'] }],
      },
      40,
    );
    expect(retried).toContain('  machine   restart(worker) came back 0.1s after its gap (real time, 4s of rule time at scale 40)');
    expect(retried).toContain(
      `  retried   attempt 1 (${at(-40)}, scale 40) failed 1 verdict(s) while a scrape of job api (api:8080) at +1.1s ran out its 250 ms timeout with no fault in effect: the machine starved it: it was void and the drill ran again; first failure: TargetDown does not fire: fired at +1.3s`,
    );
    expect(text).not.toContain('  machine ');
    expect(text).not.toContain('  retried ');
  });

  it('says why a failed drill the machine may have interfered with ran once, apart from what the machine did', () => {
    const early = 'HighLLMErrorRate{provider="groq"} went pending at +0.4s, 7.1s before the first fault: the system was not healthy when the faults began (a busy machine, or a rule that fires on healthy traffic: the second attempt tells)';
    const why = 'HighLLMErrorRate{provider="groq"} went pending before the faults on both attempts of llm-errors too, so the run takes its rule to fire on healthy traffic, not on a busy machine alone, and keeps this failure';
    const once = formatScenario({ ...result, machineInterference: [early], notRunAgain: why }, 40).split('\n');
    expect(once.slice(-2)).toEqual([`  machine   ${early}`, `  once      ${why}`]);
    expect(text).not.toContain('  once ');
  });
});

describe('formatRunSummary', () => {
  const run: RunResult = { ok: false, scale: 40, stack: 'native', engine: 'builtin', scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375, stackReadySeconds: 0, scenarios: [] };
  it('says an interrupted run was interrupted, with what finished, and no ready time for stacks that never finished a drill', () => {
    const summary = formatRunSummary({ ...run, interrupted: true });
    expect(summary.split('\n').slice(0, 2)).toEqual(['INTERRUPTED: 0 scenarios finished before it (0 passed), 0/0 expectations hold', 'stack native; scale 40, scrape every 0.25s, evaluate every 0.375s; engine builtin']);
    expect(formatRunSummary({ ...run, ok: true, stackReadySeconds: 8.2, scenarios: [{ ...result, ok: true }] }).split('\n')[1]).toBe('stack native ready in 8.2s; scale 40, scrape every 0.25s, evaluate every 0.375s; engine builtin');
  });

  it('gives each system drilled its own scale and intervals where they differ, and says them once where they do not', () => {
    const piyasa = { scale: 40, scrapeIntervalSeconds: 0.25, evaluationIntervalSeconds: 0.375 };
    const line = (systemTimings: RunResult['systemTimings']) => formatRunSummary({ ...run, systemTimings }).split('\n')[1];
    expect(line({ piyasa, thebot: { ...piyasa, scrapeIntervalSeconds: 0.375 } })).toBe(
      'stack native; piyasa: scale 40, scrape every 0.25s, evaluate every 0.375s; thebot: scale 40, scrape every 0.375s, evaluate every 0.375s; engine builtin',
    );
    expect(line({ piyasa, thebot: { scale: 20, scrapeIntervalSeconds: 0.5, evaluationIntervalSeconds: 0.75 } })).toContain('thebot: scale 20, scrape every 0.5s, evaluate every 0.75s');
    expect(line({ piyasa, shop: { ...piyasa } })).toBe('stack native; scale 40, scrape every 0.25s, evaluate every 0.375s; engine builtin');
    // One system: its own figures, whatever the run's first-system fields say.
    expect(line({ thebot: { ...piyasa, scrapeIntervalSeconds: 0.375 } })).toBe('stack native; scale 40, scrape every 0.375s, evaluate every 0.375s; engine builtin');
  });
});

describe('clock', () => {
  it('marks a time before the drill started (during its history) with a minus, in wall and rule time (it read +-1.8s)', () => {
    const from = clock(Date.parse(at(10)), 40);
    expect(from(at(17.5))).toBe('+7.5s [5m]');
    expect(from(at(8.2))).toBe('-1.8s [-1m12s]');
    expect(clock(Date.parse(at(10)), 1)(at(8.2))).toBe('-1.8s');
    expect(from(null)).toBe('-');
  });
});

import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../faults/fault-controller.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { TimedOutScrape } from '../observe/timed-out-scrapes.ts';
import { at, makeTrace } from '../expect/test-traces.ts';
import { interferenceOf, machineInterference, pendingBeforeFaults, startUpPastFor, starvedScrapes, type StartUpPastFor } from './machine-interference.ts';

const scrape = (atMs: number, job = 'api'): TimedOutScrape => ({ what: 'scrape', job, instance: `${job}:8080`, atMs, durationMs: 250, timeoutMs: 250 });
const pause = (injectedAtMs: number, revertedAtMs: number | null): FaultRecord => ({ id: '1', spec: { target: 'api', kind: 'pause' }, injectedAtMs, revertedAtMs, driver: 'process' });

describe('starvedScrapes', () => {
  it('keeps the timeouts no fault explains: before any fault, and after a revert and its grace', () => {
    const timedOut = [scrape(1_000), scrape(5_000), scrape(9_000), scrape(9_600)];
    expect(starvedScrapes(timedOut, [pause(3_000, 8_000)], 1_000, 20_000).map((s) => s.atMs)).toEqual([1_000, 9_600]);
  });

  it('counts a scrape begun just before a fault as the fault\u2019s, and a fault never reverted as lasting to the end', () => {
    expect(starvedScrapes([scrape(2_800)], [pause(3_000, 8_000)], 0, 20_000)).toEqual([]);
    expect(starvedScrapes([scrape(2_700)], [pause(3_000, 8_000)], 0, 20_000)).toHaveLength(1);
    expect(starvedScrapes([scrape(19_000)], [pause(3_000, null)], 0, 20_000)).toEqual([]);
  });

  // The drill seen in CI: PostgreSQL stopped, the backend (which uses it) and the Redis exporter (which does not) timed out together.
  const stopDb: FaultRecord = { ...pause(3_000, 15_000), spec: { target: 'db', kind: 'stop' } };
  // db reaches the backend (which uses it) and its exporter, and is scraped itself by the exporter alone.
  const reaches = { reaches: (target: string, job: string) => target === 'db' && ['django', 'postgres'].includes(job), direct: (target: string, job: string) => target === 'db' && job === 'postgres' };

  it('counts a timeout that the faults in effect cannot reach as the machine\u2019s', () => {
    expect(starvedScrapes([scrape(5_000, 'redis')], [stopDb], 0, 20_000, reaches)).toEqual([{ ...scrape(5_000, 'redis'), besideFaults: true }]);
    expect(starvedScrapes([scrape(5_000, 'redis')], [stopDb], 0, 20_000)).toEqual([]);
  });

  it('counts a timeout a fault could explain as the machine\u2019s when one it cannot explain ran at the same moment, and only then', () => {
    const django = scrape(5_100, 'django');
    const redis = scrape(5_000, 'redis');
    expect(starvedScrapes([redis, django, scrape(9_000, 'django')], [stopDb], 0, 20_000, reaches)).toEqual([
      { ...redis, besideFaults: true },
      { ...django, stalledWith: redis },
    ]);
  });

  it('leaves a timeout on what a fault acts on itself to the fault, stall or not', () => {
    const exporter = scrape(5_100, 'postgres');
    expect(starvedScrapes([scrape(5_000, 'redis'), exporter], [stopDb], 0, 20_000, reaches).map((s) => s.job)).toEqual(['redis']);
  });

  // The drill of a later CI run: the backend's scrapes alone timed out while PostgreSQL was stopped, no witness.
  const spans = (of: Record<string, { ranMs: number; waitedMs: number }>) => ({ partsOf: (job: string) => ({ django: ['backend'], postgres: ['postgres-exporter'] })[job] ?? [], during: (part: string) => of[part] });

  it('counts a timeout a fault could explain as the machine\u2019s when the part it scrapes waited for a CPU for half the timeout and twice as long as it ran, and only then', () => {
    const django = scrape(5_100, 'django');
    expect(starvedScrapes([django], [stopDb], 0, 20_000, reaches, spans({ backend: { ranMs: 10, waitedMs: 125 } }))).toEqual([{ ...django, heldOffCpu: { part: 'backend', waitedMs: 125 } }]);
    expect(starvedScrapes([django], [stopDb], 0, 20_000, reaches, spans({ backend: { ranMs: 10, waitedMs: 124 } }))).toEqual([]);
    // Busy, and waiting about as long as it ran: a fault may keep it busy, the machine had room.
    expect(starvedScrapes([django], [stopDb], 0, 20_000, reaches, spans({ backend: { ranMs: 200, waitedMs: 399 } }))).toEqual([]);
    expect(starvedScrapes([django], [stopDb], 0, 20_000, reaches, spans({ backend: { ranMs: 200, waitedMs: 400 } }))).toHaveLength(1);
    // Not sampled (a restart between the samples, or no /proc): the fault keeps it.
    expect(starvedScrapes([django], [stopDb], 0, 20_000, reaches, spans({}))).toEqual([]);
    // Another part's wait says nothing of this scrape.
    expect(starvedScrapes([django], [stopDb], 0, 20_000, reaches, spans({ 'postgres-exporter': { ranMs: 0, waitedMs: 900 } }))).toEqual([]);
  });

  it('asks for what the part did over the scrape\u2019s own span', () => {
    const asked: number[][] = [];
    const evidence = { partsOf: () => ['backend'], during: (_: string, fromMs: number, toMs: number) => (asked.push([fromMs, toMs]), undefined) };
    starvedScrapes([{ ...scrape(5_100, 'django'), durationMs: 260 }], [stopDb], 0, 20_000, reaches, evidence);
    expect(asked).toEqual([[5_100, 5_360]]);
  });

  it('leaves a timeout on what a fault acts on itself to the fault, however long that part waited for a CPU', () => {
    expect(starvedScrapes([scrape(5_100, 'postgres')], [stopDb], 0, 20_000, reaches, spans({ 'postgres-exporter': { ranMs: 0, waitedMs: 900 } }))).toEqual([]);
  });

  it('extends a kill to when its target came back, not only to its revert', () => {
    const kill: FaultRecord = { ...pause(3_000, 5_000), spec: { target: 'api', kind: 'kill' }, downMs: 4_000 };
    expect(starvedScrapes([scrape(6_500)], [kill], 0, 20_000)).toEqual([]);
    expect(starvedScrapes([scrape(7_500)], [kill], 0, 20_000)).toHaveLength(1);
  });
});

describe('machineInterference', () => {
  it('says one line per starved target', () => {
    expect(machineInterference([scrape(11_000), scrape(11_375), scrape(11_750), scrape(12_000, 'db')], 10_000)).toEqual([
      '3 scrapes of job api (api:8080) from +1.0s to +1.8s ran out their 250 ms timeout with no fault in effect: the machine starved them',
      'a scrape of job db (db:8080) at +2.0s ran out its 250 ms timeout with no fault in effect: the machine starved it',
    ]);
  });

  it('says which faults did not reach it, or which unreached target stalled with it', () => {
    const redis = { ...scrape(12_000, 'redis'), besideFaults: true as const };
    expect(machineInterference([redis, { ...scrape(12_100, 'django'), stalledWith: redis }], 10_000)).toEqual([
      'a scrape of job redis (redis:8080) at +2.0s ran out its 250 ms timeout with no fault in effect that reaches it: the machine starved it',
      'a scrape of job django (django:8080) at +2.1s ran out its 250 ms timeout while a scrape of job redis, which no fault in effect reaches, timed out too: the machine starved it',
    ]);
  });

  it('says a target\u2019s scrapes of different reasons on lines of their own', () => {
    const redis = { ...scrape(12_000, 'redis'), besideFaults: true as const };
    expect(machineInterference([scrape(11_000, 'django'), { ...scrape(12_000, 'django'), stalledWith: redis }, scrape(13_000, 'django')], 10_000)).toEqual([
      '2 scrapes of job django (django:8080) from +1.0s to +3.0s ran out their 250 ms timeout with no fault in effect: the machine starved them',
      'a scrape of job django (django:8080) at +2.0s ran out its 250 ms timeout while a scrape of job redis, which no fault in effect reaches, timed out too: the machine starved it',
    ]);
  });

  it('says which part waited for a CPU, and how long', () => {
    const held = (atMs: number, waitedMs: number) => ({ ...scrape(atMs, 'django'), heldOffCpu: { part: 'backend', waitedMs } });
    expect(machineInterference([held(12_000, 180)], 10_000)).toEqual([
      'a scrape of job django (django:8080) at +2.0s ran out its 250 ms timeout while part backend, runnable, waited 180 ms for a CPU: the machine starved it',
    ]);
    expect(machineInterference([held(12_000, 180), held(12_375, 240)], 10_000)).toEqual([
      '2 scrapes of job django (django:8080) from +2.0s to +2.4s ran out their 250 ms timeout while part backend, runnable, waited up to 240 ms for a CPU in each: the machine starved them',
    ]);
    // At scale 60 a 50 s timeout is 833.33 ms: written in whole milliseconds.
    expect(machineInterference([{ ...held(12_000, 900), timeoutMs: 50_000 / 60 }], 10_000)[0]).toContain('ran out its 833 ms timeout');
  });

  it('is empty for a drill that ran as planned', () => {
    expect(machineInterference([], 0)).toEqual([]);
  });
});

describe('alerts pending before the faults', () => {
  const T0 = Date.parse(at(0));
  const latency = makeTrace({ alertname: 'DjangoHighLatency', pendingAt: at(3.3), firingAt: at(8), resolvedAt: at(30) });
  const fault: FaultRecord = { ...pause(T0 + 7_500, T0 + 25_500), spec: { target: 'db', kind: 'latency' } };
  /** The report's lines for them, as a drill with nothing else the machine did writes them. */
  const linesOf = (failed: Parameters<typeof pendingBeforeFaults>[0], traces: AlertTrace[], faults: FaultRecord[], startedAtMs: number) => interferenceOf(pendingBeforeFaults(failed, traces, faults), [], [], startedAtMs).lines;

  it('names the alert of a failed verdict that went pending before the first fault, and when', () => {
    expect(linesOf([{ alert: 'DjangoHighLatency' }], [latency], [fault], T0)).toEqual([
      'DjangoHighLatency{service="api"} went pending at +3.3s, 4.2s before the first fault: the system was not healthy when the faults began (a busy machine, or a rule that fires on healthy traffic: the second attempt tells)',
    ]);
  });

  it('writes a time just before the drill began (its first evaluation comes one interval early) with its sign', () => {
    expect(linesOf([{ alert: 'DjangoHighLatency' }], [latency], [fault], T0 + 3_500)).toEqual([
      'DjangoHighLatency{service="api"} went pending at -0.2s, 4.2s before the first fault: the system was not healthy when the faults began (a busy machine, or a rule that fires on healthy traffic: the second attempt tells)',
    ]);
    expect(linesOf([{ alert: 'DjangoHighLatency' }], [latency], [fault], T0 + 3_320)[0]).toContain('went pending at +0.0s,');
  });

  it('says nothing of an alert that went pending after the fault, of one no failed verdict names, or of a drill without faults', () => {
    const afterFault = makeTrace({ alertname: 'DjangoHighLatency', pendingAt: at(9), firingAt: at(12), resolvedAt: at(30) });
    expect(linesOf([{ alert: 'DjangoHighLatency' }], [afterFault], [fault], T0)).toEqual([]);
    expect(linesOf([{ alert: 'DjangoSlowQueries' }], [latency], [fault], T0)).toEqual([]);
    expect(linesOf([{ alert: 'DjangoHighLatency', labels: { service: 'web' } }], [latency], [fault], T0)).toEqual([]);
    expect(linesOf([{ alert: 'DjangoHighLatency' }], [latency], [], T0)).toEqual([]);
  });

  it('tells each series by its name and every label, whichever the report shows and in whatever order they came', () => {
    const groq = makeTrace({ alertname: 'HighLLMErrorRate', labels: { service: 'llm', provider: 'groq', alertname: 'HighLLMErrorRate' }, pendingAt: at(1) });
    const gemini = { ...groq, labels: { ...groq.labels, provider: 'gemini' } };
    const [a] = pendingBeforeFaults([{ alert: 'HighLLMErrorRate' }], [groq], [fault]);
    const [b] = pendingBeforeFaults([{ alert: 'HighLLMErrorRate' }], [gemini], [fault]);
    const [c] = pendingBeforeFaults([{ alert: 'HighLLMErrorRate' }], [{ ...groq, labels: { provider: 'groq', alertname: 'HighLLMErrorRate', service: 'llm' } }], [fault]);
    // Alone in its drill, each is named by its headline labels, which the two share; they stay two series.
    expect([a!.alert, b!.alert]).toEqual(['HighLLMErrorRate{service="llm"}', 'HighLLMErrorRate{service="llm"}']);
    expect(a!.series).not.toBe(b!.series);
    expect(a!.series).toBe(c!.series);
  });
});

describe('interferenceOf', () => {
  const T0 = Date.parse(at(0));
  const fault: FaultRecord = { ...pause(T0 + 7_500, T0 + 25_500), spec: { target: 'db', kind: 'latency' } };
  const [early] = pendingBeforeFaults([{ alert: 'DjangoHighLatency' }], [makeTrace({ alertname: 'DjangoHighLatency', pendingAt: at(3.3) })], [fault]);
  const startUp = (roomyScale: number): StartUpPastFor => ({ line: `a start-up outlasted for (roomy at ${roomyScale})`, roomyScale });

  it('hands the early series to another attempt when nothing else interfered, and only then', () => {
    expect(interferenceOf([early!], [], [], T0).retry).toEqual({ pendingBeforeFaults: [{ alert: early!.alert, series: early!.series }] });
    expect(interferenceOf([early!], [], ['a starved scrape'], T0).retry).toEqual({});
    expect(interferenceOf([early!], [startUp(14)], [], T0).retry).toEqual({ rerunScale: 14 });
    expect(interferenceOf([], [], ['a starved scrape'], T0)).toEqual({ lines: ['a starved scrape'], retry: {} });
  });

  it('asks for the lowest of the scales the start-ups need, and writes every line, early alerts first', () => {
    const got = interferenceOf([early!], [startUp(14), startUp(9)], ['a starved scrape'], T0);
    expect(got.retry).toEqual({ rerunScale: 9 });
    expect(got.lines).toHaveLength(4);
    expect(got.lines[0]).toMatch(/^DjangoHighLatency\{service="api"\} went pending at \+3\.3s/);
    expect(got.lines.slice(1)).toEqual(['a start-up outlasted for (roomy at 14)', 'a start-up outlasted for (roomy at 9)', 'a starved scrape']);
  });
});

describe('startUpPastFor', () => {
  const T0 = Date.parse(at(0));
  // The CI case: a 0.5 s gap, the container back 3.4 s after it, WorkerDown's 2m `for` scaled to 3 s.
  const restart: FaultRecord = { id: '1', spec: { target: 'worker', kind: 'restart', params: { gapMs: 500 } }, injectedAtMs: T0 + 7_500, revertedAtMs: T0 + 24_000, driver: 'container', downMs: 3_860 };
  const workerDown = makeTrace({ alertname: 'WorkerDown', labels: { alertname: 'WorkerDown', service: 'worker' }, scaledForSeconds: 3, pendingAt: at(7.7), firingAt: at(10.7), resolvedAt: at(11.5) });
  const doesNotFire = { alert: 'WorkerDown', kind: 'doesNotFire' as const };

  it('names an alert that fired during an outage its planned gap kept shorter than `for` and its start-up made longer', () => {
    expect(startUpPastFor([doesNotFire], [workerDown], [restart], 40)).toEqual([
      {
        line: 'WorkerDown{service="worker"} fired while restart(worker) was down 3.9s against a planned 0.5s gap: its start-up outlasted the alert\'s scaled `for` of 3.0s, an outage longer than `for` at this scale',
        // A 3.36 s start-up, twice over, beside the gap (20 s of rule time) within 2m: 6.72 s <= (120 s - 20 s) / scale, so scale 14.
        roomyScale: 14,
      },
    ]);
    expect(startUpPastFor([{ alert: 'WorkerDown', kind: 'unexpected' }], [workerDown], [restart], 40)).toHaveLength(1);
  });

  it('gives another attempt a scale at which that start-up fits in `for` twice over beside the plan: at most half the scale, at least 1', () => {
    const roomyAt = (downMs: number, scale: number) => startUpPastFor([doesNotFire], [workerDown], [{ ...restart, downMs }], scale)[0]?.roomyScale;
    // A start-up that just fills `for` beside the gap halves the scale: at 20 it is half of `for`.
    expect(roomyAt(3_000, 40)).toBe(20);
    // The scale found holds the start-up, the next one up does not: at 14, `for` is 8.57 s, the gap 1.43 s, the start-up 3.36 s (6.72 s twice).
    const roomy = roomyAt(3_860, 40)!;
    expect(120_000 / roomy - (500 * 40) / roomy).toBeGreaterThanOrEqual(2 * 3_360);
    expect(120_000 / (roomy + 1) - (500 * 40) / (roomy + 1)).toBeLessThan(2 * 3_360);
    // A start-up of a minute at scale 40 fits nowhere above 1: real time is the last resort.
    expect(roomyAt(60_000, 40)).toBe(1);
  });

  it('says nothing when the plan alone outlasts `for`, the outage was shorter than it, the alert fired after the target came back, or the verdict is of another kind', () => {
    const noFor = { ...workerDown, scaledForSeconds: 0 };
    expect(startUpPastFor([doesNotFire], [noFor], [restart], 40)).toEqual([]);
    expect(startUpPastFor([doesNotFire], [workerDown], [{ ...restart, downMs: 2_900 }], 40)).toEqual([]);
    const afterComingBack = makeTrace({ ...workerDown, pendingAt: at(11.5), firingAt: at(14.5), resolvedAt: at(16), episodes: undefined });
    expect(startUpPastFor([doesNotFire], [afterComingBack], [restart], 40)).toEqual([]);
    const pendingOnly = makeTrace({ ...workerDown, firingAt: null, episodes: undefined });
    expect(startUpPastFor([doesNotFire], [pendingOnly], [restart], 40)).toEqual([]);
    expect(startUpPastFor([{ alert: 'WorkerDown', kind: 'fires' }], [workerDown], [restart], 40)).toEqual([]);
    expect(startUpPastFor([doesNotFire], [workerDown], [{ ...restart, spec: { target: 'db', kind: 'latency' }, downMs: undefined }], 40)).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counterIncrease, seriesText, writeHistoryShard, type HistoryLayout, type TargetHistory } from './history-writer.ts';
import { seriesKinds, type RecordedTarget } from './recorded-series.ts';
import type { RecordedSegment } from './record-segments.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-history-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A target scraped every 250 ms: 6 scrapes at a low level (requests +1 each scrape), then 6 in an
// incident where the target is down for its last 3 scrapes (nothing but up, which is 0).
const scrapesMs = Array.from({ length: 12 }, (_, i) => 1_000 + i * 250);
const NaN3 = [Number.NaN, Number.NaN, Number.NaN];
const target: RecordedTarget = {
  job: 'api',
  instance: 'api:8000',
  scrapesMs,
  up: Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]),
  series: [
    { labels: { __name__: 'up', job: 'api', instance: 'api:8000' }, kind: 'gauge', values: Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]) },
    { labels: { __name__: 'requests_total', job: 'api', instance: 'api:8000' }, kind: 'counter', values: Float64Array.from([10, 11, 12, 13, 14, 15, 100, 150, 200, ...NaN3]) },
    { labels: { __name__: 'in_flight', job: 'api', instance: 'api:8000' }, kind: 'gauge', values: Float64Array.from([3, 3, 3, 3, 3, 3, 9, 9, 9, ...NaN3]) },
  ],
};
const segments: RecordedSegment[] = [
  { segment: { key: 'level 0.4', level: 0.4 }, fromMs: 1_000, toMs: 2_250 },
  { segment: { key: 'incident outage', level: 1, incident: { scenario: 'outage', faults: [{ at: '0ms', hold: '60000ms', fault: { target: 'api', kind: 'kill' } }], durationMs: 60_000 } }, fromMs: 2_500, toMs: 3_750 },
];
// 10 s production scrapes from 40 recorded ones each; an hour of history with the outage from 03:20 to 03:21.
const history: TargetHistory = { target, stepMs: 10_000, recordedMs: 250 };
const start = Date.parse('2026-11-30T03:00:00Z'); // the night's level, 0.4, all hour
const outage = { startMs: start + 20 * 60_000, endMs: start + 21 * 60_000, what: segments[1]!.segment.incident! };
const layout: HistoryLayout = { fromMs: start, toMs: start + 3_600_000, schedule: { bursts: [], incidents: [outage] }, seed: 1 };

interface Sample {
  series: string;
  value: number;
  ms: number;
}
function read(file: string): Sample[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines.pop()).toBe('# EOF');
  return lines.map((line) => {
    const [series, value, seconds] = line.split(' ') as [string, string, string];
    return { series, value: Number(value), ms: Number(seconds) * 1000 };
  });
}
const of = (samples: Sample[], name: string) => samples.filter((s) => s.series.startsWith(`${name}{`));

describe('writeHistoryShard', () => {
  const whole = path.join(dir, 'whole.om');
  const written = writeHistoryShard(whole, [history], segments, layout, layout.fromMs, layout.toMs);
  const samples = read(whole);

  it('writes one sample per production scrape, counters built only from recorded increments', () => {
    expect(written.series).toBe(3);
    const requests = of(samples, 'requests_total');
    expect(requests[0]!.ms).toBe(start);
    // quiet hour: each step sums 40 recorded deltas of 1 request
    const quiet = requests.filter((s) => s.ms < outage.startMs);
    for (let i = 1; i < quiet.length; i++) expect(quiet[i]!.value - quiet[i - 1]!.value).toBe(40);
    // never decreasing, though the recording has a jump and a gap
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.value).toBeGreaterThanOrEqual(requests[i - 1]!.value);
    // gauges read recorded values only
    expect(new Set(of(samples, 'in_flight').map((s) => s.value))).toEqual(new Set([3, 9]));
  });

  it('in the incident, draws only its recorded scrapes: the target down means up 0 and its other series absent, as Prometheus stores a failed scrape', () => {
    const during = (s: Sample) => s.ms >= outage.startMs && s.ms < outage.endMs;
    const up = of(samples, 'up').filter(during);
    expect(up).toHaveLength(6);
    const downAt = new Set(up.filter((s) => s.value === 0).map((s) => s.ms));
    expect(downAt.size).toBeGreaterThan(0); // 3 of its 4 drawable last scrapes are down
    const inFlight = of(samples, 'in_flight').filter(during);
    expect(inFlight.every((s) => !downAt.has(s.ms) && s.value === 9)).toBe(true);
    // a counter that has started carries on (and increases by what the up scrapes counted)
    expect(of(samples, 'requests_total').filter(during).length).toBeGreaterThan(0);
  });

  it('shards of consecutive time give the same samples as one file: counters carry on across them', () => {
    const middle = start + 30 * 60_000;
    const first = path.join(dir, 'first.om');
    const second = path.join(dir, 'second.om');
    writeHistoryShard(first, [history], segments, layout, layout.fromMs, middle);
    writeHistoryShard(second, [history], segments, layout, middle, layout.toMs);
    expect([...read(first), ...read(second)]).toEqual(samples);
  });

  it('a seed gives the same history again, another seed other draws', () => {
    const again = path.join(dir, 'again.om');
    writeHistoryShard(again, [history], segments, layout, layout.fromMs, layout.toMs);
    expect(read(again)).toEqual(samples);
    const other = path.join(dir, 'other.om');
    writeHistoryShard(other, [history], segments, { ...layout, seed: 2 }, layout.fromMs, layout.toMs);
    expect(read(other)).not.toEqual(samples);
  });

  it('fails naming the target and segment when a segment holds fewer than two of its scrapes', () => {
    const short = [segments[0]!, { ...segments[1]!, toMs: 2_600 }];
    expect(() => writeHistoryShard(path.join(dir, 'short.om'), [history], short, layout, layout.fromMs, layout.toMs)).toThrow(
      'populate: api (api:8000) was not scraped twice while incident outage was recorded; the machine may be too busy',
    );
  });
});

describe('writeHistoryShard, from an awkward recording', () => {
  /** A target scraped at `scrapesMs` with `up` and one counter, recorded as one night segment over all of it. */
  function counterSteps(name: string, scrapes: number[], up: number[], counter: number[], recordedMs: number): number[] {
    const recordedTarget: RecordedTarget = {
      job: 'api',
      instance: 'api:8000',
      scrapesMs: scrapes,
      up: Float64Array.from(up),
      series: [{ labels: { __name__: 'requests_total', job: 'api', instance: 'api:8000' }, kind: 'counter', values: Float64Array.from(counter) }],
    };
    const night: RecordedSegment[] = [{ segment: { key: 'level 0.4', level: 0.4 }, fromMs: scrapes[0]!, toMs: scrapes.at(-1)! }];
    const file = path.join(dir, `${name}.om`);
    const quiet = { ...layout, schedule: { bursts: [], incidents: [] } };
    writeHistoryShard(file, [{ target: recordedTarget, stepMs: 10_000, recordedMs }], night, quiet, quiet.fromMs, quiet.toMs);
    // per production step: a sample after a failed scrape holds the steps since the last one
    const totals = of(read(file), 'requests_total');
    return totals.slice(1).map((s, i) => (s.value - totals[i]!.value) / ((s.ms - totals[i]!.ms) / 10_000));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const every = (n: number, ms: number) => Array.from({ length: n }, (_, i) => 1_000 + i * ms);

  it('a counter missing from one scrape its target answered carries on from where it was, not from zero', () => {
    // 1 request a scrape; the exporter could not collect the series at one scrape
    const steps = counterSteps('missing', every(9, 250), [1, 1, 1, 1, 1, 1, 1, 1, 1], [100, 101, 102, 103, Number.NaN, 105, 106, 107, 108], 250);
    expect(Math.max(...steps)).toBeLessThanOrEqual(80);
    expect(mean(steps)).toBeCloseTo(40, -1);
  });

  it("a failed scrape's counts show at the next one, neither lost nor counted from zero", () => {
    // up every other scrape, the counter +1 a scrape: 2 at each scrape that worked, 0 at each that failed
    const counter = [0, Number.NaN, 2, Number.NaN, 4, Number.NaN, 6, Number.NaN, 8, Number.NaN, 10];
    const steps = counterSteps('flapping', every(11, 250), [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], counter, 250);
    expect(mean(steps)).toBeGreaterThan(40 * 0.8);
    expect(mean(steps)).toBeLessThan(40 * 1.2);
  });

  it('a 10 s step of 1.5 s scrapes draws 6.67 of them on average, not 7', () => {
    const steps = counterSteps('fraction', every(9, 1_500), Array(9).fill(1), [0, 1, 2, 3, 4, 5, 6, 7, 8], 1_500);
    expect(mean(steps)).toBeGreaterThan(6.4);
    expect(mean(steps)).toBeLessThan(6.9);
  });

  it('a scrape late by most of an interval: its long gap and the short one after are both drawn', () => {
    // 1 request every 250 ms; the scrape at 1_500 came at 1_700
    const scrapes = [1_000, 1_250, 1_700, 1_750, 2_000, 2_250, 2_500];
    const steps = counterSteps('late', scrapes, Array(7).fill(1), [0, 1, 3, 3, 4, 5, 6], 250);
    expect(mean(steps)).toBeGreaterThan(40 * 0.9);
    expect(mean(steps)).toBeLessThan(40 * 1.1);
  });

  it('a gap where Prometheus skipped a tick is not drawn as one interval', () => {
    // 1 request every 250 ms; one gap of 500 ms holds 2 of them
    const scrapes = [1_000, 1_250, 1_500, 2_000, 2_250, 2_500, 2_750];
    const steps = counterSteps('skipped', scrapes, Array(7).fill(1), [0, 1, 2, 4, 5, 6, 7], 250);
    expect(new Set(steps)).toEqual(new Set([40]));
  });
});

describe('pieces of the history', () => {
  it('counts a counter drop as a restart from zero and a series new in a scrape as all of its value', () => {
    expect(counterIncrease(10, 14)).toBe(4);
    expect(counterIncrease(10, 3)).toBe(3);
    expect(counterIncrease(Number.NaN, 5)).toBe(5);
    expect(counterIncrease(5, Number.NaN)).toBe(0);
  });

  it('writes series in OpenMetrics escaping', () => {
    expect(seriesText({ __name__: 'up' })).toBe('up');
    expect(seriesText({ __name__: 'x_total', path: '/a"b\\c\nd' })).toBe('x_total{path="/a\\"b\\\\c\\nd"}');
  });

  it("reads a series' kind from the targets' metadata: counters and histogram/summary parts count, the rest are gauges", () => {
    const kind = seriesKinds({ http_requests_total: [{ type: 'counter' }], latency: [{ type: 'histogram' }], rpc: [{ type: 'summary' }], temp: [{ type: 'gauge' }], jobs: [{ type: 'counter' }] });
    expect(['http_requests_total', 'latency_bucket', 'latency_count', 'latency_sum', 'rpc_count', 'rpc', 'temp', 'up', 'jobs_total', 'mystery_total'].map(kind)).toEqual([
      'counter', 'counter', 'counter', 'counter', 'counter', 'gauge', 'gauge', 'gauge', 'counter', 'gauge',
    ]);
  });
});

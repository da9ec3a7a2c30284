import { closeSync, openSync, writeSync } from 'node:fs';
import { FiredrillError } from '../errors.ts';
import { segmentAt } from './history-segments.ts';
import type { RecordedSegment } from './record-segments.ts';
import type { RecordedTarget } from './recorded-series.ts';
import { SampleLines } from './sample-lines.ts';
import { seededRandom } from './seeded-random.ts';
import type { ModelSchedule } from './traffic-model.ts';

/** A recorded target and how its scrapes map to production's: stepMs / recordedMs recorded scrapes make one production scrape. */
export interface TargetHistory {
  readonly target: RecordedTarget;
  /** The job's scrape interval as written (rule time): the history's step for this target. */
  readonly stepMs: number;
  /** The job's scrape interval in the recording (wall time). */
  readonly recordedMs: number;
}

/**
 * A recorded scrape gap this many intervals long or more (a tick Prometheus skipped) would count as
 * one interval: not drawn. Below two: a scrape late by most of an interval makes one gap long and
 * the next short, and the pair is drawn alike.
 */
const SKIPPED_TICK_GAP = 1.9;

/** What history to lay out: its span in model time, the model's schedule, and the seed of the draws. */
export interface HistoryLayout {
  readonly fromMs: number;
  readonly toMs: number;
  readonly schedule: ModelSchedule;
  readonly seed: number;
}

/** How many ready-made production steps each segment offers a target to draw from. */
const STEPS_PER_SEGMENT = 32;

/** One production scrape made of recorded ones: every counter's summed increments, and the recorded scrape read for gauges. */
interface ProductionStep {
  readonly increments: Float64Array;
  readonly last: number;
}

/**
 * Writes the history from `shardFromMs` to `shardToMs` as OpenMetrics for promtool: for each
 * target, one sample per series per production scrape. Each production scrape is stepMs / recordedMs
 * recorded scrapes of the segment the model is in then (a level of traffic, or an incident),
 * drawn at random: counters advance by what the services really counted in them, gauges read the
 * last. Every shard draws the same scrapes from the history's start (counters carry on across
 * shards), so shards of consecutive time can be written and backfilled side by side, and their
 * blocks do not overlap.
 */
export function writeHistoryShard(file: string, histories: readonly TargetHistory[], segments: readonly RecordedSegment[], layout: HistoryLayout, shardFromMs: number, shardToMs: number): { series: number; samples: number } {
  const fd = openSync(file, 'w');
  const seriesTexts = histories.map((history) => history.target.series.map((series) => SampleLines.series(seriesText(series.labels))));
  const longest = seriesTexts.reduce((most, texts) => texts.reduce((m, text) => Math.max(m, text.length), most), 0);
  const lines = new SampleLines(fd, longest, seriesTexts.reduce((most, texts) => Math.max(most, texts.length), 0));
  let samples = 0;
  let series = 0;
  try {
    histories.forEach((history, targetIndex) => {
      const { target } = history;
      const random = seededRandom(layout.seed * 7_919 + targetIndex);
      const steps = productionSteps(history, segments, random);
      const n = target.series.length;
      const prefixes = seriesTexts[targetIndex]!;
      const counters = target.series.map((series) => series.kind === 'counter');
      const totals = new Float64Array(n);
      const started = new Uint8Array(n);
      const emitted = new Uint8Array(n);
      for (let ms = Math.ceil(layout.fromMs / history.stepMs) * history.stepMs; ms < shardToMs; ms += history.stepMs) {
        const key = segmentAt(layout.schedule, ms).key;
        const choices = steps.get(key);
        if (!choices) throw new FiredrillError('ENVIRONMENT', `populate: the history needs ${key} at ${new Date(ms).toISOString()}, which was not recorded`);
        const step = choices[Math.floor(random() * choices.length)]!;
        const write = ms >= shardFromMs;
        // Steps before the shard only carry the counters on: no text for them.
        const time = write ? ` ${ms / 1000}\n` : '';
        const up = target.up[step.last] === 1;
        for (let s = 0; s < n; s++) {
          const value = target.series[s]!.values[step.last]!;
          if (counters[s]) {
            const increment = step.increments[s]!;
            if (!started[s] && Number.isNaN(value) && increment === 0) continue;
            started[s] = 1;
            totals[s] = totals[s]! + increment;
            // A failed scrape stores no series; what was counted meanwhile shows at the next one.
            if (!write || !up) continue;
            lines.add(prefixes[s]!, totals[s]!, time);
          } else {
            if (!write || Number.isNaN(value)) continue;
            lines.add(prefixes[s]!, value, time);
          }
          emitted[s] = 1;
          samples++;
        }
        lines.flushIfLarge();
      }
      series += emitted.reduce((sum, e) => sum + e, 0);
    });
    lines.flush();
    writeSync(fd, '# EOF\n');
  } finally {
    closeSync(fd);
  }
  return { series, samples };
}

/**
 * For each segment, STEPS_PER_SEGMENT production scrapes, each the sum of stepMs / recordedMs
 * recorded scrape deltas drawn at random (a fraction of one drawn that often: a 10 s step of 1.5 s
 * scrapes is 6 or 7 of them, 6.67 on average), from the gaps of about one recorded interval.
 */
function productionSteps(history: TargetHistory, segments: readonly RecordedSegment[], random: () => number): Map<string, ProductionStep[]> {
  const { target } = history;
  const increments = scrapeIncrements(target);
  const draws = Math.max(1, history.stepMs / history.recordedMs);
  const out = new Map<string, ProductionStep[]>();
  for (const recorded of segments) {
    const inside: number[] = [];
    for (let j = 1; j < target.scrapesMs.length; j++) {
      if (target.scrapesMs[j - 1]! >= recorded.fromMs && target.scrapesMs[j]! <= recorded.toMs) inside.push(j);
    }
    const steady = inside.filter((j) => target.scrapesMs[j]! - target.scrapesMs[j - 1]! < SKIPPED_TICK_GAP * history.recordedMs);
    const deltas = steady.length > 0 ? steady : inside;
    if (deltas.length === 0) {
      throw new FiredrillError('ENVIRONMENT', `populate: ${target.job} (${target.instance}) was not scraped twice while ${recorded.segment.key} was recorded; the machine may be too busy`);
    }
    const steps: ProductionStep[] = [];
    for (let n = 0; n < STEPS_PER_SEGMENT; n++) {
      const sums = new Float64Array(target.series.length);
      let last = deltas[0]!;
      const count = Math.floor(draws) + (random() < draws - Math.floor(draws) ? 1 : 0);
      for (let d = 0; d < count; d++) {
        last = deltas[Math.floor(random() * deltas.length)]!;
        increments.forEach((series, s) => {
          if (series) sums[s] = sums[s]! + series[last]!;
        });
      }
      steps.push({ increments: sums, last });
    }
    out.set(recorded.segment.key, steps);
  }
  return out;
}

/**
 * What each counter counted up to each scrape, since the last scrape that had it (gauges: null).
 * A series missing from a scrape (the scrape failed, or its exporter could not collect it) carries
 * on from where it was last seen instead of counting its whole value again; a series not seen
 * before counts its value only when the scrape before it worked (it was born in between).
 */
function scrapeIncrements(target: RecordedTarget): (Float64Array | null)[] {
  return target.series.map((series) => {
    if (series.kind !== 'counter') return null;
    const increments = new Float64Array(series.values.length);
    let lastSeen = Number.NaN;
    for (let j = 0; j < series.values.length; j++) {
      const value = series.values[j]!;
      if (Number.isNaN(value)) continue;
      if (j > 0 && (!Number.isNaN(lastSeen) || target.up[j - 1] === 1)) increments[j] = counterIncrease(lastSeen, value);
      lastSeen = value;
    }
    return increments;
  });
}

/** What a counter counted between two scrapes: a drop is a restart from zero; a series new in the second counted all of its value then. */
export function counterIncrease(before: number, after: number): number {
  if (Number.isNaN(after)) return 0;
  if (Number.isNaN(before) || after < before) return after;
  return after - before;
}

/** `name{label="value",...}` in OpenMetrics' escaping. */
export function seriesText(labels: Readonly<Record<string, string>>): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return pairs.length === 0 ? name! : `${name}{${pairs.join(',')}}`;
}

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { compileSystem, type CompiledSystem } from '../compile/compile-system.ts';
import { recordingRules } from '../compile/recording-rules.ts';
import type { YamlMap } from '../compile/yaml-file.ts';
import { warmUp } from '../engine/warm-up.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { StackProvider } from '../stack/stack-provider.ts';
import { waitFor } from '../stack/wait-for.ts';
import { withBlocksPrometheus } from './blocks-prometheus.ts';
import { segmentsUsed } from './history-segments.ts';
import { writeHistoryShard, type HistoryLayout, type TargetHistory } from './history-writer.ts';
import { backfillOpenMetrics, backfillRecordingRules } from './promtool-backfill.ts';
import { readRecording } from './recorded-series.ts';
import { recordSegments, type RecordedSegment } from './record-segments.ts';
import { modelSchedule, type TrafficModel } from './traffic-model.ts';

/** Files written and backfilled side by side: promtool takes one core while the next file is written on the other. */
const SHARDS = 4;

export interface HistoryOptions {
  readonly spanMs: number;
  /** Where the work happens; the blocks end up in `<workDir>/blocks`. */
  readonly workDir: string;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
}

/** What the services emitted in each segment, and where it goes in the history. */
export interface RecordedHistory {
  readonly production: CompiledSystem;
  readonly histories: readonly TargetHistory[];
  readonly recorded: readonly RecordedSegment[];
  readonly layout: HistoryLayout;
  readonly recordMs: number;
}

/** What was made, and how long each part took (wall milliseconds). */
export interface BuiltHistory {
  readonly blocksDir: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly segments: number;
  readonly series: number;
  readonly samples: number;
  readonly recordingRules: number;
  readonly timingsMs: { readonly record: number; readonly write: number; readonly rules: number };
}

/**
 * History for a system's Prometheus, ending now, step one: a short real run of the system at a
 * compressed scale records what its services and exporters emit at each traffic level and in
 * each incident the model uses over the span.
 */
export async function recordHistory(production: CompiledSystem, provider: StackProvider, model: TrafficModel, options: HistoryOptions): Promise<RecordedHistory> {
  const { signal, progress } = options;
  const startedAt = Date.now();
  const toMs = startedAt;
  const fromMs = toMs - options.spanMs;
  const schedule = modelSchedule(model, fromMs, toMs);
  const productionJobs = new Map(production.prometheus.jobs.map((j) => [j.job, j.scaledIntervalMs]));
  const segments = segmentsUsed(schedule, fromMs, toMs, Math.min(...productionJobs.values()));
  const recording = compileSystem(production.system, 'auto');
  const recordedJobs = new Map(recording.prometheus.jobs.map((j) => [j.job, j.scaledIntervalMs]));
  progress(`recording ${segments.length} segments (${segments.map((s) => s.key).join(', ')}) at scale ${recording.scale}`);
  // Warmed as a drill's stack is: a fresh process is slow at first, and the first level recorded would keep it all week.
  const warm = (serviceUrls: ReadonlyMap<string, string>, warmUpSignal: AbortSignal) => warmUp(model.streams, serviceUrls, warmUpSignal);
  await using stack = await provider.start(recording, { signal, scrapeFaultTargets: 'all', warmUp: warm });
  const recorded = await recordSegments(stack, model, segments, signal, progress);
  signal.throwIfAborted();
  const exclude = new Set(recordingRules(production.ruleFiles.map((f) => f.doc)).keys());
  await lastScrapesStored(stack.prometheusUrl, recorded.at(-1)!.toMs, recording, signal);
  const targets = await readRecording(stack.prometheusUrl, recorded[0]!.fromMs - recording.scrapeIntervalMs, recorded.at(-1)!.toMs, exclude);
  const histories = targets.map((target): TargetHistory => {
    const stepMs = productionJobs.get(target.job) ?? production.scrapeIntervalMs;
    const recordedMs = recordedJobs.get(target.job) ?? recording.scrapeIntervalMs;
    return { target, stepMs, recordedMs };
  });
  return { production, histories, recorded, layout: { fromMs, toMs, schedule, seed: model.seed }, recordMs: Date.now() - startedAt };
}

/**
 * Waits until every target has been scraped since `endMs`: a scrape that began inside the last
 * segment is stored only once it ends (a slow exporter's, up to its timeout later), and reading
 * before then would lose the segment's last delta.
 */
async function lastScrapesStored(prometheusUrl: string, endMs: number, recording: CompiledSystem, signal: AbortSignal): Promise<void> {
  const client = new PrometheusClient(prometheusUrl);
  const intervals = recording.prometheus.jobs.map((j) => j.scaledIntervalMs);
  const slowestMs = Math.max(...intervals);
  await waitFor(
    `a scrape of every target after the recording's end`,
    async () => {
      const behind = await client.instant(`timestamp(up) < ${endMs / 1000}`, Date.now());
      return behind.length === 0 ? { value: true, seen: 'every target' } : { seen: `not yet scraped since: ${behind.map((r) => `${r.metric.job} (${r.metric.instance})`).join(', ')}` };
    },
    { timeoutMs: 3 * slowestMs + 10_000, pollMs: Math.min(...intervals), signal },
  );
}

/**
 * Step two: the recorded scrapes laid out over the span with the model's curve, bursts and
 * incidents (writeHistoryShard), turned into TSDB blocks by promtool, shard by shard in time;
 * then the recording rules, evaluated over the history by promtool, as blocks too.
 */
export async function writeHistory(recording: RecordedHistory, options: HistoryOptions): Promise<BuiltHistory> {
  const { signal, progress } = options;
  const { production, layout } = recording;
  const startedAt = Date.now();
  const blocksDir = path.join(options.workDir, 'blocks');
  mkdirSync(blocksDir, { recursive: true });
  let series = 0;
  let samples = 0;
  const backfills: Promise<void>[] = [];
  const shardMs = (layout.toMs - layout.fromMs) / SHARDS;
  for (let shard = 0; shard < SHARDS; shard++) {
    signal.throwIfAborted();
    // Let promtool start on the last shard before this one takes the CPU.
    await new Promise((resolve) => setImmediate(resolve));
    const file = path.join(options.workDir, `history-${shard}.om`);
    const fromMs = layout.fromMs + shard * shardMs;
    const toMs = shard === SHARDS - 1 ? layout.toMs : fromMs + shardMs;
    const written = writeHistoryShard(file, recording.histories, recording.recorded, layout, fromMs, toMs);
    series = Math.max(series, written.series);
    samples += written.samples;
    backfills.push(backfillOpenMetrics(file, blocksDir, signal).then(() => rmSync(file, { force: true })));
  }
  await Promise.all(backfills);
  const write = Date.now() - startedAt;
  progress(`wrote ${samples.toLocaleString('en')} samples of ${series} series over ${Math.round((layout.toMs - layout.fromMs) / 3_600_000)}h in ${(write / 1000).toFixed(1)}s`);

  const rulesStartedAt = Date.now();
  const records = recordingRules(production.ruleFiles.map((f) => f.doc));
  if (records.size > 0) {
    const rulesFile = path.join(options.workDir, 'recording-rules.yml');
    writeFileSync(rulesFile, stringify(recordingRulesOnly(production.ruleFiles.map((f) => f.doc))));
    await withBlocksPrometheus(blocksDir, options.workDir, signal, (url) => backfillRecordingRules([rulesFile], url, layout.fromMs, layout.toMs, production.evaluationIntervalMs, blocksDir, signal));
    progress(`backfilled ${records.size} recording rules in ${((Date.now() - rulesStartedAt) / 1000).toFixed(1)}s`);
  }
  return {
    blocksDir,
    fromMs: layout.fromMs,
    toMs: layout.toMs,
    segments: recording.recorded.length,
    series,
    samples,
    recordingRules: records.size,
    timingsMs: { record: recording.recordMs, write, rules: Date.now() - rulesStartedAt },
  };
}

/** The rule groups with their recording rules only: promtool's backfill evaluates no alerts. */
function recordingRulesOnly(docs: readonly YamlMap[]): YamlMap {
  const groups = docs.flatMap((doc) => ((doc.groups ?? []) as YamlMap[]).map((g) => ({ ...g, rules: ((g.rules ?? []) as YamlMap[]).filter((r) => typeof r.record === 'string') })));
  return { groups: groups.filter((g) => g.rules.length > 0) };
}

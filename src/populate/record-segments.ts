import type { CompiledSystem } from '../compile/compile-system.ts';
import { assertLoopback } from '../engine/loopback.ts';
import { loadTrafficHelper, sendTraffic } from '../engine/traffic-helper.ts';
import { FiredrillError } from '../errors.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';
import { abortableDelay } from '../faults/play-fault-calls.ts';
import { planContextFor } from '../scenario/plan-context.ts';
import { planScenario } from '../scenario/scenario-plan.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import type { Segment } from './history-segments.ts';
import type { TrafficModel } from './traffic-model.ts';

/** Scrapes thrown away after a segment's change (a level, a fault), then deltas kept per target. */
export const SETTLE_SCRAPES = 1;
export const RECORDED_DELTAS = 3;

/** The wall-clock stretch of the recording whose scrapes stand for a segment. */
export interface RecordedSegment {
  readonly segment: Segment;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Drives the stack through each segment in turn: the model's traffic at the segment's level (the
 * builtin pacer), the incident's faults injected for its span and reverted after. Each segment
 * lasts long enough for every target to be scraped RECORDED_DELTAS + 1 times after settling, and
 * settles longer by the delay its faults add (or the last incident's added, still draining).
 */
export async function recordSegments(stack: StartedStack, model: TrafficModel, segments: readonly Segment[], signal: AbortSignal, progress: (line: string) => void): Promise<RecordedSegment[]> {
  const { settleMs, measureMs } = segmentTimings(stack.compiled);
  const urls = model.streams.map((stream) => {
    const url = stack.serviceUrls.get(stream.service);
    if (!url) throw new FiredrillError('BAD_INPUT', `populate: the model's traffic (scenario ${model.baseline}) goes to service ${stream.service}, which the stack of ${model.system} does not have`);
    assertLoopback(url);
    return url;
  });
  // The helper takes a second or two to load: the first segment's settling and measuring would
  // pass without its traffic (the night level, recorded first, came out 25% short).
  await loadTrafficHelper();
  const recorded: RecordedSegment[] = [];
  // A delay the last incident added is still in its requests' and jobs' answers after the revert.
  let drainMs = 0;
  for (const { segment, faults, delayMs } of inRecordingOrder(segments, stack.compiled)) {
    if (signal.aborted) break;
    // Until the faults' added delay has passed, what completes is what began before them.
    const settlesMs = settleMs + Math.max(drainMs, delayMs);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const targets = model.streams.map((stream, i) => ({
      stream: { name: `traffic_${i}`, service: stream.service, startRps: stream.rps * segment.level, stages: [], requests: stream.requests },
      baseUrl: urls[i]!,
    }));
    // Traffic that fails (its helper died) ends the segment at once, and the recording with its error.
    const failed = new AbortController();
    let trafficError: unknown;
    const traffic = sendTraffic(targets, { durationMs: settlesMs + measureMs + 60_000 }, stop.signal).then(
      () => undefined,
      (error: unknown) => {
        trafficError = error;
        failed.abort();
      },
    );
    const waiting = AbortSignal.any([signal, failed.signal]);
    try {
      for (const fault of faults) await stack.faults.inject(fault);
      await abortableDelay(settlesMs, waiting);
      const fromMs = Date.now();
      // A timer may fire a millisecond before the wall clock has moved its full delay, and the
      // stretch is written as wall-clock times: wait on the clock, not on the timer.
      while (!waiting.aborted && Date.now() - fromMs < measureMs) await abortableDelay(fromMs + measureMs - Date.now(), waiting);
      if (trafficError !== undefined) throw trafficError;
      recorded.push({ segment, fromMs, toMs: Date.now() });
      progress(`recorded ${segment.key} (${((Date.now() - fromMs + settlesMs) / 1000).toFixed(1)}s)`);
      drainMs = delayMs;
    } finally {
      await stack.faults.revertAll();
      stop.abort();
      await traffic;
      signal.removeEventListener('abort', onAbort);
    }
  }
  return recorded;
}

/**
 * The segments with their faults and the delay those add, the least delay first (the sort is
 * stable: in their order otherwise): a segment waits for the delay the one before it added to
 * drain, so a slow incident recorded between two others costs its delay twice (Piyasa's slow
 * generation: 11 s more).
 */
function inRecordingOrder(segments: readonly Segment[], compiled: CompiledSystem): { segment: Segment; faults: FaultSpec[]; delayMs: number }[] {
  return segments
    .map((segment) => {
      const faults = incidentFaults(segment, compiled);
      return { segment, faults, delayMs: addedDelayMs(faults) };
    })
    .sort((a, b) => a.delayMs - b.delayMs);
}

/**
 * How long a segment settles and then records: every target must be scraped twice inside the
 * recorded stretch, and the fastest RECORDED_DELTAS + 1 times (a slow exporter's few deltas are
 * all it has in production too). Half an interval of slack for a busy machine.
 */
export function segmentTimings(compiled: CompiledSystem): { settleMs: number; measureMs: number } {
  const intervals = compiled.prometheus.jobs.map((j) => j.scaledIntervalMs);
  const fastest = Math.min(...intervals);
  const slowest = Math.max(...intervals);
  return { settleMs: SETTLE_SCRAPES * fastest, measureMs: Math.max((RECORDED_DELTAS + 1.5) * fastest, 2.5 * slowest) };
}

/** The longest delay the faults add to an answer or a job (a latency, slow queries, slow generation): wall time, never scaled. */
export function addedDelayMs(faults: readonly FaultSpec[]): number {
  // A service's own fault endpoint takes any params: an `ms` that is no number adds nothing known.
  const ms = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return Math.max(0, ...faults.map((f) => ms(f.params?.ms) + ms(f.params?.jitterMs)));
}

/** The incident's faults as its drill would inject them at this stack's scale (a restart's gap scaled too). */
function incidentFaults(segment: Segment, compiled: CompiledSystem): FaultSpec[] {
  if (!segment.incident) return [];
  const scenario = { name: segment.incident.scenario, system: compiled.system.name, duration: `${segment.incident.durationMs}ms`, traffic: [], faults: segment.incident.faults, expect: [] };
  const plan = planScenario(scenario, planContextFor(scenario, compiled));
  return plan.faultCalls.filter((c) => c.action === 'inject').map((c) => c.fault);
}

import { parseDurationMs } from '../duration.ts';
import type { TrafficStream } from '../engine/traffic.ts';
import { badInput } from '../errors.ts';
import type { FaultStep, Scenario } from '../scenario/define-scenario.ts';
import { seededRandom } from './seeded-random.ts';

/** One of the system's drills as an incident: its faults, shifted to start at 0, and how long they hold. */
export interface IncidentKind {
  readonly scenario: string;
  readonly faults: readonly FaultStep[];
  readonly durationMs: number;
}

/**
 * How a system's traffic looks over days, in model (rule) time: the mean traffic is the system's
 * healthy scenario's streams; a diurnal curve, bursts and incidents (its drills' faults) vary it.
 */
export interface TrafficModel {
  readonly system: string;
  /** Traffic at the mean level (factor 1): the healthy scenario's streams at their starting rates. */
  readonly streams: readonly TrafficStream[];
  /** Where the mean traffic was taken from. */
  readonly baseline: string;
  readonly incidents: readonly IncidentKind[];
  readonly seed: number;
}

/** The diurnal curve: 1 + A·cos(2π(h - peak)/24) of the mean, UTC hours: 0.4 at 03:00, 1.6 at 15:00. */
export const DIURNAL_PEAK_HOUR_UTC = 15;
export const DIURNAL_AMPLITUDE = 0.6;
export const BURSTS_PER_DAY = 2;
export const BURST_FACTOR = 2;
export const BURST_MS = 15 * 60_000;
/** One incident a day, between 06:00 and 22:00 UTC, cycling through the drills in a seeded order. */
export const INCIDENTS_PER_DAY = 1;
const DAY_MS = 24 * 3_600_000;

/** A burst or an incident placed on the model's clock (epoch milliseconds). */
export interface Placed<T> {
  readonly startMs: number;
  readonly endMs: number;
  readonly what: T;
}

/** The bursts and incidents of every UTC day the span touches: the same for a day whoever asks (live or history). */
export interface ModelSchedule {
  readonly bursts: readonly Placed<number>[];
  readonly incidents: readonly Placed<IncidentKind>[];
}

/**
 * The model of a system from its scenarios: the mean traffic of its healthy scenario (no faults;
 * the first by name), incidents from every scenario with faults. `restartGapMs` is how long a
 * restart whose step names no gap keeps its target down (rule time; see `restartGapOf`).
 */
export function trafficModel(system: string, scenarios: readonly Scenario[], seed: number, restartGapMs: (target: string) => number): TrafficModel {
  const own = [...scenarios].filter((s) => s.system === system).sort((a, b) => a.name.localeCompare(b.name));
  const healthy = own.find((s) => s.faults.length === 0 && s.traffic.length > 0) ?? own.find((s) => s.traffic.length > 0);
  if (!healthy) throw badInput(`populate: system ${system} has no scenario with traffic to take its mean traffic from; write a healthy one (traffic, no faults)`);
  const streams = healthy.traffic.map(({ ramp: _ramp, minOkRatio: _min, ...stream }) => stream);
  const incidents = own.filter((s) => s.faults.length > 0).map((s) => incidentOf(s, restartGapMs));
  return { system, streams, baseline: healthy.name, incidents, seed };
}

function incidentOf(scenario: Scenario, restartGapMs: (target: string) => number): IncidentKind {
  const where = (i: number) => `${scenario.name}: faults[${i}]`;
  const durationMs = parseDurationMs(scenario.duration, `${scenario.name}: duration`);
  const steps = scenario.faults.map((step, i) => {
    const f = restartAsOutage(step, restartGapMs, `${where(i)}.fault.params.gap`);
    const atMs = parseDurationMs(f.at, `${where(i)}.at`);
    const endMs = f.hold === undefined ? durationMs : Math.min(durationMs, atMs + parseDurationMs(f.hold, `${where(i)}.hold`));
    return { step: f, atMs, endMs };
  });
  const firstMs = Math.min(...steps.map((s) => s.atMs));
  return {
    scenario: scenario.name,
    faults: steps.map(({ step, atMs, endMs }) => ({ ...step, at: `${atMs - firstMs}ms`, hold: `${endMs - atMs}ms` })),
    durationMs: Math.max(...steps.map((s) => s.endMs)) - firstMs,
  };
}

/**
 * A restart as what production sees of it: its target down for the gap, then back. As a kill held
 * that long (whose revert starts it again), the history records the target down (`up` 0) where a
 * restart recorded whole would only show it back. A restart with no gap is left as it is.
 */
function restartAsOutage(step: FaultStep, restartGapMs: (target: string) => number, where: string): FaultStep {
  if (step.fault.kind !== 'restart') return step;
  const gap = step.fault.params?.gap;
  const gapMs = typeof gap === 'string' ? parseDurationMs(gap, where) : restartGapMs(step.fault.target);
  return gapMs > 0 ? { at: step.at, hold: `${gapMs}ms`, fault: { target: step.fault.target, kind: 'kill' } } : step;
}

export function diurnalFactor(ms: number): number {
  const hour = (ms % DAY_MS) / 3_600_000;
  return 1 + DIURNAL_AMPLITUDE * Math.cos((2 * Math.PI * (hour - DIURNAL_PEAK_HOUR_UTC)) / 24);
}

/** The bursts and incidents of each UTC day from `fromMs` to `toMs`, drawn from the model's seed and the day. */
export function modelSchedule(model: TrafficModel, fromMs: number, toMs: number): ModelSchedule {
  const bursts: Placed<number>[] = [];
  const incidents: Placed<IncidentKind>[] = [];
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
    const random = seededRandom(model.seed * 100_003 + day);
    const dayMs = day * DAY_MS;
    for (let b = 0; b < BURSTS_PER_DAY; b++) {
      const startMs = dayMs + Math.floor(random() * (DAY_MS - BURST_MS));
      bursts.push({ startMs, endMs: startMs + BURST_MS, what: BURST_FACTOR });
    }
    if (model.incidents.length === 0) continue;
    for (let n = 0; n < INCIDENTS_PER_DAY; n++) {
      const kind = model.incidents[Math.floor(seededRandom(model.seed)() * model.incidents.length + day * INCIDENTS_PER_DAY + n) % model.incidents.length]!;
      const startMs = dayMs + 6 * 3_600_000 + Math.floor(random() * (16 * 3_600_000 - kind.durationMs));
      incidents.push({ startMs, endMs: startMs + kind.durationMs, what: kind });
    }
  }
  const within = <T>(p: Placed<T>) => p.endMs > fromMs && p.startMs < toMs;
  return { bursts: bursts.filter(within), incidents: incidents.filter(within) };
}

/** The traffic at `ms` as a factor of the mean: the diurnal curve, doubled in a burst. */
export function levelAt(schedule: ModelSchedule, ms: number): number {
  const burst = schedule.bursts.find((b) => b.startMs <= ms && ms < b.endMs);
  return diurnalFactor(ms) * (burst ? burst.what : 1);
}

export function placedIncidentAt(schedule: ModelSchedule, ms: number): Placed<IncidentKind> | undefined {
  return schedule.incidents.find((i) => i.startMs <= ms && ms < i.endMs);
}

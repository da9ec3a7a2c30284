import { parseDurationMs } from '../duration.ts';
import { levelAt, placedIncidentAt, type IncidentKind, type ModelSchedule } from './traffic-model.ts';

/**
 * The traffic levels history is recorded at: the model's factor of the mean, rounded (in log
 * space) to the nearest of these. Steps of 1.5x keep the recording short and the curve's shape.
 */
export const RECORDED_LEVELS = [0.4, 0.6, 0.9, 1.35, 2, 3] as const;

/** What the services did during one stretch of the recording: a traffic level, or an incident. */
export interface Segment {
  readonly key: string;
  /** Factor of the mean traffic. */
  readonly level: number;
  readonly incident?: IncidentKind;
}

export function roundedLevel(factor: number): number {
  let best: number = RECORDED_LEVELS[0];
  for (const level of RECORDED_LEVELS) if (Math.abs(Math.log(level / factor)) < Math.abs(Math.log(best / factor))) best = level;
  return best;
}

/** A stretch of an incident (from its start) in which the same faults are in effect; stretches with the same faults share a segment. */
interface IncidentPhase {
  readonly fromMs: number;
  readonly toMs: number;
  readonly segment: Segment;
}

const phasesOf = new WeakMap<IncidentKind, readonly IncidentPhase[]>();

/**
 * An incident's drill as the segments that stand for it: one for each set of faults in effect
 * together, in the order they first are (a latency from 0 to 7m and a stop from 2m to 4m make two:
 * the latency, then both). A stretch with no fault in effect is the traffic level's. Each
 * segment's incident holds its faults from its start, so its recording injects them all at once.
 */
export function incidentPhases(incident: IncidentKind): readonly IncidentPhase[] {
  const known = phasesOf.get(incident);
  if (known) return known;
  const held = incident.faults.map((f) => {
    const atMs = parseDurationMs(f.at, `${incident.scenario}: at`);
    return { step: f, atMs, endMs: f.hold === undefined ? incident.durationMs : atMs + parseDurationMs(f.hold, `${incident.scenario}: hold`) };
  });
  const bounds = [...new Set([0, incident.durationMs, ...held.flatMap((w) => [w.atMs, w.endMs])])].filter((ms) => ms >= 0 && ms <= incident.durationMs).sort((a, b) => a - b);
  // A fault of no length (a restart, held 0s) lasts until the next change of faults, not no time at all.
  const windows = held.map((w) => (w.endMs > w.atMs ? w : { ...w, endMs: bounds.find((ms) => ms > w.atMs) ?? w.endMs }));
  const stretches = bounds.slice(1).flatMap((toMs, i) => {
    const fromMs = bounds[i]!;
    const active = windows.filter((w) => w.atMs <= fromMs && fromMs < w.endMs);
    // Alike by what the faults do, not which step says it: the same kill twice is one set.
    return active.length === 0 ? [] : [{ fromMs, toMs, active, set: JSON.stringify(active.map((w) => w.step.fault)) }];
  });
  const sets = [...new Set(stretches.map((s) => s.set))];
  const segments = sets.map((set, n): Segment => {
    const alike = stretches.filter((s) => s.set === set);
    // The scenario its recording plans: as long as the longest stretch it stands for.
    const spanMs = Math.max(...alike.map((s) => s.toMs - s.fromMs));
    const faults = alike[0]!.active.map((w) => ({ ...w.step, at: '0ms', hold: `${spanMs}ms` }));
    const key = sets.length === 1 ? `incident ${incident.scenario}` : `incident ${incident.scenario} ${n + 1}/${sets.length}`;
    return { key, level: 1, incident: { scenario: incident.scenario, faults, durationMs: spanMs } };
  });
  const phases = stretches.map(({ fromMs, toMs, set }) => ({ fromMs, toMs, segment: segments[sets.indexOf(set)]! }));
  phasesOf.set(incident, phases);
  return phases;
}

/** The segment whose recording stands for model time `ms`: the incident's faults then, else the rounded level. */
export function segmentAt(schedule: ModelSchedule, ms: number): Segment {
  const placed = placedIncidentAt(schedule, ms);
  const phase = placed && incidentPhases(placed.what).find((p) => p.fromMs <= ms - placed.startMs && ms - placed.startMs < p.toMs);
  if (phase) return phase.segment;
  const level = roundedLevel(levelAt(schedule, ms));
  return { key: `level ${level}`, level };
}

/** Every segment a history from `fromMs` to `toMs` uses, levels first (rising), then incidents. */
export function segmentsUsed(schedule: ModelSchedule, fromMs: number, toMs: number, stepMs: number): Segment[] {
  const used = new Map<string, Segment>();
  for (let ms = fromMs; ms < toMs; ms += stepMs) {
    const segment = segmentAt(schedule, ms);
    used.set(segment.key, segment);
  }
  for (const placed of schedule.incidents) for (const phase of incidentPhases(placed.what)) used.set(phase.segment.key, phase.segment);
  return [...used.values()].sort((a, b) => Number(Boolean(a.incident)) - Number(Boolean(b.incident)) || a.level - b.level || a.key.localeCompare(b.key));
}

import { incidentAt, levelAt, type IncidentKind, type ModelSchedule } from './traffic-model.ts';

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

/** The segment whose recording stands for model time `ms`: the incident then, else the rounded level. */
export function segmentAt(schedule: ModelSchedule, ms: number): Segment {
  const incident = incidentAt(schedule, ms);
  if (incident) return { key: `incident ${incident.scenario}`, level: 1, incident };
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
  for (const placed of schedule.incidents) used.set(`incident ${placed.what.scenario}`, segmentAt(schedule, placed.startMs));
  return [...used.values()].sort((a, b) => Number(Boolean(a.incident)) - Number(Boolean(b.incident)) || a.level - b.level);
}

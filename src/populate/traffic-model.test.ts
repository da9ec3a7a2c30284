import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/define-scenario.ts';
import { incidentPhases, segmentAt, segmentsUsed, roundedLevel } from './history-segments.ts';
import { liveScenario } from './live-scenario.ts';
import { BURSTS_PER_DAY, BURST_FACTOR, diurnalFactor, levelAt, placedIncidentAt, modelSchedule, trafficModel } from './traffic-model.ts';

const requests = [{ method: 'GET' as const, path: '/' }];
const scenarios: Scenario[] = [
  { name: 'outage', system: 'shop', duration: '10m', traffic: [{ service: 'api', rps: 5, requests }], faults: [{ at: '2m', hold: '5m', fault: { target: 'api', kind: 'kill' } }], expect: [] },
  { name: 'baseline', system: 'shop', duration: '20m', traffic: [{ service: 'api', rps: 20, requests, ramp: [{ over: '1m', rps: 40 }], minOkRatio: 0.99 }], faults: [], expect: [] },
  { name: 'slow', system: 'shop', duration: '8m', traffic: [], faults: [{ at: '1m', fault: { target: 'db', kind: 'latency' } }, { at: '3m', hold: '2m', fault: { target: 'api', kind: 'stop' } }], expect: [] },
  { name: 'elsewhere', system: 'other', duration: '5m', traffic: [{ service: 'x', rps: 1, requests }], faults: [], expect: [] },
];
const DAY = 86_400_000;
/** A restart that names no gap keeps its target down 20s here (two 10s scrapes). */
const RESTART_GAP_MS = 20_000;
const modelOf = (system: string, from: readonly Scenario[], seed: number) => trafficModel(system, from, seed, () => RESTART_GAP_MS);
const at = (iso: string) => Date.parse(iso);

describe('the traffic model', () => {
  it("takes the mean traffic from the system's healthy scenario (rates without ramps) and an incident from each drill, shifted to start at 0", () => {
    const model = modelOf('shop', scenarios, 1);
    expect(model.baseline).toBe('baseline');
    expect(model.streams).toEqual([{ service: 'api', rps: 20, requests }]);
    expect(model.incidents.map((i) => [i.scenario, i.durationMs])).toEqual([['outage', 5 * 60_000], ['slow', 7 * 60_000]]);
    // 'slow': db latency from 0 to the drill's end (7m later), the api stop from 2m for 2m
    expect(model.incidents[1]!.faults.map((f) => [f.at, f.hold])).toEqual([['0ms', '420000ms'], ['120000ms', '120000ms']]);
  });

  it('refuses a system with no scenario that has traffic, saying what to write', () => {
    expect(() => modelOf('empty', scenarios, 1)).toThrow("populate: system empty has no scenario with traffic to take its mean traffic from; write a healthy one (traffic, no faults)");
  });

  it('follows a diurnal curve: 0.4 of the mean at 03:00 UTC, 1.6 at 15:00, 1 at 09:00 and 21:00', () => {
    expect(diurnalFactor(at('2026-11-30T03:00:00Z'))).toBeCloseTo(0.4, 6);
    expect(diurnalFactor(at('2026-11-30T15:00:00Z'))).toBeCloseTo(1.6, 6);
    expect(diurnalFactor(at('2026-11-30T09:00:00Z'))).toBeCloseTo(1, 6);
    expect(diurnalFactor(at('2026-11-30T21:00:00Z'))).toBeCloseTo(1, 6);
  });

  it('places the same bursts and incidents on a day whatever span asks (history and live agree), and another seed places others', () => {
    const model = modelOf('shop', scenarios, 7);
    const week = modelSchedule(model, at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'));
    const oneDay = modelSchedule(model, at('2026-11-26T00:00:00Z'), at('2026-11-27T00:00:00Z'));
    const sameDay = (p: { startMs: number }) => p.startMs >= at('2026-11-26T00:00:00Z') && p.startMs < at('2026-11-27T00:00:00Z');
    expect(oneDay.bursts).toEqual(week.bursts.filter(sameDay));
    expect(oneDay.incidents).toEqual(week.incidents.filter(sameDay));
    expect(week.bursts).toHaveLength(7 * BURSTS_PER_DAY);
    expect(week.incidents).toHaveLength(7);
    for (const incident of week.incidents) {
      const hour = (incident.startMs % DAY) / 3_600_000;
      expect(hour).toBeGreaterThanOrEqual(6);
      expect(incident.endMs - incident.startMs).toBe(incident.what.durationMs);
    }
    const other = modelSchedule(modelOf('shop', scenarios, 8), at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'));
    expect(other.bursts).not.toEqual(week.bursts);
  });

  it('doubles the curve in a burst, and an incident decides the segment over the level', () => {
    const model = modelOf('shop', scenarios, 3);
    const schedule = modelSchedule(model, at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'));
    const burst = schedule.bursts[0]!;
    expect(levelAt(schedule, burst.startMs + 1)).toBeCloseTo(diurnalFactor(burst.startMs + 1) * BURST_FACTOR, 6);
    const incident = schedule.incidents[0]!;
    expect(placedIncidentAt(schedule, incident.startMs)?.what.scenario).toBe(incident.what.scenario);
    expect(segmentAt(schedule, incident.startMs)).toMatchObject({ level: 1, incident: { scenario: incident.what.scenario } });
    expect(segmentAt(schedule, incident.startMs).key).toMatch(new RegExp(`^incident ${incident.what.scenario}( 1/\\d+)?$`));
    expect(placedIncidentAt(schedule, incident.endMs)).toBeUndefined();
  });
});

describe('history segments', () => {
  it('rounds a factor to the nearest recorded level in log space', () => {
    expect([0.3, 0.45, 0.7, 1, 1.6, 2.4, 5].map(roundedLevel)).toEqual([0.4, 0.4, 0.6, 0.9, 1.35, 2, 3]);
  });

  it('lists each segment a span uses once: the levels rising, then its incidents', () => {
    const model = modelOf('shop', scenarios, 1);
    const from = at('2026-11-23T00:00:00Z');
    const schedule = modelSchedule(model, from, from + 7 * DAY);
    const used = segmentsUsed(schedule, from, from + 7 * DAY, 15_000);
    const levels = used.filter((s) => !s.incident).map((s) => s.level);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(levels).toContain(0.4); // every night
    expect(used.filter((s) => s.incident).map((s) => s.key)).toEqual(['incident outage', 'incident slow 1/2', 'incident slow 2/2']);
    expect(new Set(used.map((s) => s.key)).size).toBe(used.length);
  });
});

describe('incident phases', () => {
  const minutes = (m: number) => m * 60_000;
  it("records each set of faults in effect together once, in the order they first are: 'slow' is its db latency, then that and the api stop, then the latency again", () => {
    const slow = modelOf('shop', scenarios, 1).incidents[1]!;
    const phases = incidentPhases(slow);
    expect(phases.map((p) => [p.fromMs, p.toMs, p.segment.key])).toEqual([
      [0, minutes(2), 'incident slow 1/2'],
      [minutes(2), minutes(4), 'incident slow 2/2'],
      [minutes(4), minutes(7), 'incident slow 1/2'],
    ]);
    expect(phases[0]!.segment).toBe(phases[2]!.segment);
    // held from the recording's start, as long as the longest stretch they stand for
    expect(phases[0]!.segment.incident).toEqual({ scenario: 'slow', faults: [{ ...slow.faults[0]!, at: '0ms', hold: `${minutes(3)}ms` }], durationMs: minutes(3) });
    expect(phases[1]!.segment.incident!.faults.map((f) => f.fault.kind)).toEqual(['latency', 'stop']);
  });

  it("leaves a stretch with no fault in effect to the traffic level, and one set of faults (the same kill twice) keeps the drill's name", () => {
    const gappy = modelOf('shop', [scenarios[1]!, { name: 'twice', system: 'shop', duration: '5m', traffic: [], faults: [{ at: '0s', hold: '1m', fault: { target: 'api', kind: 'kill' } }, { at: '3m', hold: '1m', fault: { target: 'api', kind: 'kill' } }], expect: [] }], 1);
    const twice = gappy.incidents[0]!;
    expect(incidentPhases(twice).map((p) => [p.fromMs, p.toMs, p.segment.key])).toEqual([
      [0, minutes(1), 'incident twice'],
      [minutes(3), minutes(4), 'incident twice'],
    ]);
    const start = at('2026-11-25T00:00:00Z');
    const schedule = { bursts: [], incidents: [{ startMs: start, endMs: start + twice.durationMs, what: twice }] };
    expect(segmentAt(schedule, start + minutes(2)).key).toBe(`level ${roundedLevel(levelAt(schedule, start + minutes(2)))}`);
    expect(incidentPhases(modelOf('shop', scenarios, 1).incidents[0]!).map((p) => p.segment.key)).toEqual(['incident outage']);
    // a restart with no gap of its own: its target down for the default gap, as a kill whose revert starts it again
    const bounce = (restart: Scenario['faults'][number]['fault']) =>
      modelOf('shop', [scenarios[1]!, { name: 'bounce', system: 'shop', duration: '6m', traffic: [], faults: [{ at: '1m', hold: '3m', fault: { target: 'db', kind: 'latency' } }, { at: '2m', hold: '0s', fault: restart }], expect: [] }], 1).incidents[0]!;
    const phasesOf = (incident: ReturnType<typeof bounce>) => incidentPhases(incident).map((p) => [p.fromMs, p.toMs, p.segment.incident!.faults.map((f) => f.fault.kind).join('+')]);
    expect(phasesOf(bounce({ target: 'api', kind: 'restart' }))).toEqual([
      [0, minutes(1), 'latency'],
      [minutes(1), minutes(1) + RESTART_GAP_MS, 'latency+kill'],
      [minutes(1) + RESTART_GAP_MS, minutes(3), 'latency'],
    ]);
    // its own gap, in rule time
    expect(phasesOf(bounce({ target: 'api', kind: 'restart', params: { gap: '45s' } }))[1]).toEqual([minutes(1), minutes(1) + 45_000, 'latency+kill']);
    // a restart of no gap stays one, and lasts until the next change of faults rather than no time at all
    expect(phasesOf(bounce({ target: 'api', kind: 'restart', params: { gap: '0s' } }))).toEqual([
      [0, minutes(1), 'latency'],
      [minutes(1), minutes(3), 'latency+restart'],
    ]);
    // a drill that only restarts is an incident as long as the gap
    const alone = modelOf('shop', [scenarios[1]!, { name: 'routine', system: 'shop', duration: '12m', traffic: [], faults: [{ at: '1m', fault: { target: 'worker', kind: 'restart' } }], expect: [] }], 1).incidents[0]!;
    expect([alone.durationMs, alone.faults]).toEqual([RESTART_GAP_MS, [{ at: '0ms', hold: `${RESTART_GAP_MS}ms`, fault: { target: 'worker', kind: 'kill' } }]]);
  });
});

describe('the live model', () => {
  it('ramps every stream along the curve in 5-minute stages and injects the incidents the span holds at their offsets', () => {
    const model = modelOf('shop', scenarios, 1);
    const start = at('2026-11-25T00:00:00Z');
    const schedule = modelSchedule(model, start, start + DAY);
    const scenario = liveScenario(model, start, DAY);
    const stream = scenario.traffic[0]!;
    expect(stream.ramp).toHaveLength(288);
    expect(stream.rps).toBeCloseTo(20 * levelAt(schedule, start), 1);
    const at15 = (15 * 3_600_000) / 300_000; // the stage ending at 15:00
    expect(stream.ramp![at15 - 1]!.rps).toBeCloseTo(20 * levelAt(schedule, start + 15 * 3_600_000), 1);
    const incident = schedule.incidents[0]!;
    const offsetMs = incident.startMs - start;
    expect(scenario.faults[0]).toMatchObject({ at: `${offsetMs}ms`, fault: incident.what.faults[0]!.fault });
    expect(scenario.expect).toEqual([]);
  });
});

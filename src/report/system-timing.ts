import type { CompiledSystem } from '../compile/compile-system.ts';
import { seconds } from '../duration.ts';
import type { RunResult, SystemTiming } from './run-result.ts';

/** Each drilled system's scale and scaled intervals, by name, in the order given. */
function systemTimings(systems: Iterable<CompiledSystem>): Record<string, SystemTiming> {
  const timings: Record<string, SystemTiming> = {};
  for (const c of systems) {
    timings[c.system.name] ??= { scale: c.scale, scrapeIntervalSeconds: seconds(c.scrapeIntervalMs), evaluationIntervalSeconds: seconds(c.evaluationIntervalMs) };
  }
  return timings;
}

/**
 * A run's timing fields: every system's, and at the top, as results have always had them, the
 * first system's (the first scenario's).
 */
export function runTimings(systems: readonly CompiledSystem[]): Pick<RunResult, 'scrapeIntervalSeconds' | 'evaluationIntervalSeconds' | 'systemTimings'> {
  const timings = systemTimings(systems);
  const first = timings[systems[0]!.system.name]!;
  return { scrapeIntervalSeconds: first.scrapeIntervalSeconds, evaluationIntervalSeconds: first.evaluationIntervalSeconds, systemTimings: timings };
}

const phraseOf = (t: SystemTiming) => `scale ${t.scale}, scrape every ${t.scrapeIntervalSeconds}s, evaluate every ${t.evaluationIntervalSeconds}s`;

/**
 * The run's scale and intervals in one phrase: once when every system drilled shares them, else
 * per system (a run over two systems must not quote one system's scrape interval for both).
 */
export function describeTimings(run: Pick<RunResult, 'scale' | 'scrapeIntervalSeconds' | 'evaluationIntervalSeconds' | 'systemTimings'>): string {
  const timings = Object.entries(run.systemTimings ?? {});
  const phrases = new Set(timings.map(([, t]) => phraseOf(t)));
  if (phrases.size <= 1) return phraseOf(timings[0]?.[1] ?? run);
  return timings.map(([name, t]) => `${name}: ${phraseOf(t)}`).join('; ');
}

/** `scale 40`, or each system's where they differ: `scale piyasa 40, thebot 20`. */
export function describeScales(run: Pick<RunResult, 'scale' | 'systemTimings'>): string {
  const timings = Object.entries(run.systemTimings ?? {});
  if (new Set(timings.map(([, t]) => t.scale)).size <= 1) return `scale ${timings[0]?.[1].scale ?? run.scale}`;
  return `scale ${timings.map(([name, t]) => `${name} ${t.scale}`).join(', ')}`;
}

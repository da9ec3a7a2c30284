import type { CompiledSystem } from '../compile/compile-system.ts';
import { exporterSources, scrapeTargets } from '../config/resolved-system.ts';
import { parseDurationMs } from '../duration.ts';
import { alertsNamedBy } from '../expect/expectation.ts';
import type { Scenario } from './define-scenario.ts';

/** What planning a scenario needs from its compiled system, all in rule time. */
export interface PlanContext {
  readonly scale: number;
  /** Healthy traffic to run before the scenario's own timeline. */
  readonly historyMs: number;
  /** How long a restart keeps its target down when the step names no gap. */
  readonly restartGapMs: (target: string) => number;
}

/** Restarts keep the service unreachable for this many scrape intervals of its job unless told otherwise. */
export const DEFAULT_RESTART_GAP_SCRAPES = 2;

/** The most wall time of history a drill spends on the offsets of comparisons with the past. */
export const MAX_PAST_WALL_MS = 5 * 60_000;

/**
 * History: before its first fault a drill runs healthy traffic for at least as far back as every
 * rule it judges reads (its ranges and offsets), so that windows are full of healthy data when the
 * fault comes, as in production, and a lengthened window (or a comparison with an hour ago) changes
 * what the drill sees. A drill without faults needs none.
 */
export function planContextFor(scenario: Scenario, compiled: CompiledSystem): PlanContext {
  const named = new Set(alertsNamedBy(scenario.expect.filter((e) => e.kind !== 'mayFire')));
  const judged = compiled.alerts.filter((a) => named.has(a.alertname));
  const windowsMs = Math.max(0, ...judged.map((a) => a.longestRangeMs + a.sharedOffsetMs));
  // A comparison with the past is given that past when it fits in a few wall minutes; a week ago
  // (`offset 1w`: over four hours at scale 40) is not, and reads as it did before: without it.
  const pastMs = Math.max(0, ...judged.map((a) => a.lookbackMs));
  const lookbackMs = pastMs / compiled.scale <= MAX_PAST_WALL_MS ? Math.max(windowsMs, pastMs) : windowsMs;
  const firstFaultMs = Math.min(...scenario.faults.map((f) => parseDurationMs(f.at, `${scenario.name}: fault at`)));
  const historyMs = scenario.faults.length === 0 ? 0 : Math.max(0, lookbackMs - firstFaultMs);
  return {
    scale: compiled.scale,
    historyMs,
    restartGapMs: restartGapOf(compiled),
  };
}

/** How long a restart keeps `target` down when its step names no gap: DEFAULT_RESTART_GAP_SCRAPES intervals of the job that scrapes it, in rule time. */
export function restartGapOf(compiled: CompiledSystem): (target: string) => number {
  return (target) => {
    // A dependency is seen through the exporter that reads it.
    const system = compiled.system;
    const job =
      scrapeTargets(system).find((t) => t.name === target)?.job ??
      system.exporters.find((e) => exporterSources(e).includes(target))?.job;
    const intervalMs = compiled.prometheus.jobs.find((j) => j.job === job)?.scaledIntervalMs ?? compiled.scrapeIntervalMs;
    return DEFAULT_RESTART_GAP_SCRAPES * intervalMs * compiled.scale;
  };
}

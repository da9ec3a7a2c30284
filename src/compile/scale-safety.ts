import { formatDurationMs } from '../duration.ts';
import type { CompiledRule, CompiledRuleGroup } from './rule-files.ts';
import type { RouteTiming } from './alertmanager-config.ts';
import { intervalsOfJobsNamed } from './job-matchers.ts';
import type { ScrapeJobTiming } from './prometheus-config.ts';

/** Below this, Prometheus 2.42 and Alertmanager 0.25 were not seen to keep time reliably. */
export const MIN_SCALED_INTERVAL_MS = 250;
/** A window with fewer scrapes than this makes rate() and histogram_quantile() unlike production. */
export const MIN_SCRAPES_PER_WINDOW = 4;

export interface ScaledTimings {
  readonly scale: number;
  readonly jobs: readonly ScrapeJobTiming[];
  readonly scaledEvaluationIntervalMs: number;
  readonly scaledResendDelayMs: number;
  readonly groups: readonly CompiledRuleGroup[];
  readonly alerts: readonly CompiledRule[];
  readonly routeTimings: readonly RouteTiming[];
}

export interface NamedInterval {
  readonly name: string;
  readonly scaledMs: number;
}

/** Every interval that must stay above the floor, named as the user wrote it. */
export function floorIntervals(t: ScaledTimings): NamedInterval[] {
  return [
    ...t.jobs.flatMap((job) => [
      { name: `scrape_configs ${job.job} scrape_interval`, scaledMs: job.scaledIntervalMs },
      { name: `scrape_configs ${job.job} scrape_timeout`, scaledMs: job.scaledTimeoutMs },
    ]),
    { name: 'global evaluation_interval', scaledMs: t.scaledEvaluationIntervalMs },
    ...t.groups.map((g) => ({ name: `rule group ${g.name} interval`, scaledMs: g.scaledIntervalMs })),
    { name: '--rules.alert.resend-delay', scaledMs: t.scaledResendDelayMs },
    ...t.routeTimings
      .filter((r) => r.field !== 'group_wait')
      .map((r) => ({ name: `alertmanager ${r.path}.${r.field}`, scaledMs: r.scaledMs })),
  ];
}

/** Every reason the scale is unsafe, as one actionable line each; empty when it is safe. */
export function scaleProblems(t: ScaledTimings): string[] {
  const problems: string[] = [];
  const tooShort = floorIntervals(t).filter((i) => i.scaledMs > 0 && i.scaledMs < MIN_SCALED_INTERVAL_MS);
  if (tooShort.length > 0) {
    const first = tooShort[0]!;
    const maxScale = Math.max(1, Math.min(...tooShort.map((i) => Math.floor((i.scaledMs * t.scale) / MIN_SCALED_INTERVAL_MS))));
    const more = tooShort.length > 1 ? ` (and ${tooShort.length - 1} more)` : '';
    problems.push(
      `scale ${t.scale} makes ${first.name} ${formatDurationMs(first.scaledMs * t.scale)} -> ${formatDurationMs(first.scaledMs)}, below the ${MIN_SCALED_INTERVAL_MS}ms floor${more}; use --scale ${maxScale} or less`,
    );
  }
  for (const group of t.groups) {
    for (const { rule, expr, window } of group.windows) {
      const sampleEveryMs = window.kind === 'range' ? scrapeIntervalReadBy(expr, t.jobs) : window.kind === 'subquery-range' ? group.scaledIntervalMs : 0;
      if (sampleEveryMs === 0 || window.scaledMs >= MIN_SCRAPES_PER_WINDOW * sampleEveryMs) continue;
      const samples = Math.floor(window.scaledMs / sampleEveryMs);
      // A ratio of two rates over one window is one problem, not two.
      const problem =
        `rule ${rule} (group ${group.name}): window [${window.text}] holds ${samples} samples of ${formatDurationMs(sampleEveryMs * t.scale)}, fewer than ${MIN_SCRAPES_PER_WINDOW}; widen the window or shorten the interval`;
      if (!problems.includes(problem)) problems.push(problem);
    }
  }
  return problems;
}

/**
 * How often the series a rule reads are sampled: the slowest of the jobs its `job` matchers name;
 * without any, the fastest job, since its series may come from that one (a blackbox job probing
 * every minute says nothing of a rule over the API's 15 s series). Scale-independent, like the
 * sample count itself: a window this refuses holds as few samples in production.
 */
function scrapeIntervalReadBy(expr: string, jobs: readonly ScrapeJobTiming[]): number {
  const named = intervalsOfJobsNamed(expr, jobs);
  const intervals = named ?? jobs.map((j) => j.scaledIntervalMs);
  if (intervals.length === 0) return 0;
  return named === undefined ? Math.min(...intervals) : Math.max(...intervals);
}

/** Largest scale (capped) at which every interval stays at or above `floorMs`. */
export function largestScaleAbove(t: ScaledTimings, floorMs: number, cap: number): number {
  const unscaled = floorIntervals(t).map((i) => i.scaledMs * t.scale).filter((ms) => ms > 0);
  const smallest = Math.min(...unscaled);
  return Math.max(1, Math.min(cap, Math.floor(smallest / floorMs)));
}

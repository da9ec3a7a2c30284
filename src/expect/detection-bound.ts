import type { CompiledSystem } from '../compile/compile-system.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { intervalsOfJobsNamed } from '../compile/job-matchers.ts';
import { timeValuedThresholdMs } from './time-valued-threshold.ts';

/** How long after its fault an alert may go pending, wall seconds, and how that was derived. */
export interface DetectionBound {
  readonly seconds: number;
  readonly derivation: string;
}

/**
 * The scenario's `detectWithin`, or by default what the rule needs to see a fault: its longest
 * range, the offset all its selectors share, two scrapes and one evaluation (rule time, scaled); plus what is real time at any scale:
 * injected delay (a request slowed by 11 s is observed 11 s later) and a threshold that is itself
 * a time (a transaction is 5 s old no sooner than 5 s after it began).
 */
export function detectionBound(rule: CompiledRule, compiled: CompiledSystem, detectWithin: string | undefined, injectedMs: number): DetectionBound {
  if (detectWithin !== undefined) return declaredBound('detectWithin', detectWithin, rule, compiled, injectedMs);
  const scale = compiled.scale;
  const { inFlightMs, delay } = realTime(rule, compiled, injectedMs);
  const scrapeMs = scrapeIntervalReadBy(rule, compiled) * scale;
  const evaluationMs = rule.scaledEvaluationIntervalMs * scale;
  const ruleMs = rule.longestRangeMs + rule.sharedOffsetMs + 2 * scrapeMs + evaluationMs;
  const offset = rule.sharedOffsetMs > 0 ? ` + offset ${formatDurationMs(rule.sharedOffsetMs)}` : '';
  return {
    seconds: (ruleMs / scale + inFlightMs) / 1000,
    derivation: `default: range ${formatDurationMs(rule.longestRangeMs)}${offset} + 2 scrapes of ${formatDurationMs(scrapeMs)} + 1 evaluation of ${formatDurationMs(evaluationMs)} = ${formatDurationMs(ruleMs)} of rule time${delay}`,
  };
}

/**
 * A deadline the scenario declares (`detectWithin`, `fireWithin`: rule time after the fault), in
 * wall seconds at the compiled scale, plus what is real time at any scale (injectedMs and a
 * time-valued threshold, as for the default detection bound), at most `realTimeCapMs` of it.
 */
export function declaredBound(field: string, ruleTime: string, rule: CompiledRule, compiled: CompiledSystem, injectedMs: number, realTimeCapMs = Infinity): DetectionBound {
  const { inFlightMs, delay } = realTime(rule, compiled, injectedMs);
  const ruleMs = parseDurationMs(ruleTime, field);
  const allowedMs = Math.min(inFlightMs, realTimeCapMs);
  const capped = allowedMs < inFlightMs ? ` (of which ${formatDurationMs(allowedMs)} before it went pending)` : '';
  return { seconds: (ruleMs / compiled.scale + allowedMs) / 1000, derivation: `${field} ${ruleTime} of rule time${delay}${capped}` };
}

/**
 * Wall milliseconds between scrapes of what the rule reads: the slowest of the jobs its `job`
 * matchers name; without any, the slowest job of all (a bound stays generous where it cannot
 * tell). A minutely probe job no longer widens the bound of a rule over 10 s API series.
 */
function scrapeIntervalReadBy(rule: CompiledRule, compiled: CompiledSystem): number {
  const read = intervalsOfJobsNamed(rule.expr, compiled.prometheus.jobs) ?? [];
  return read.length > 0 ? Math.max(...read) : compiled.scrapeIntervalMs;
}

/** What no scale shortens: delay injected into requests, and a threshold that is itself a time. */
function realTime(rule: CompiledRule, compiled: CompiledSystem, injectedMs: number): { inFlightMs: number; delay: string } {
  const thresholdMs = timeValuedThresholdMs(rule, compiled);
  const delay =
    (injectedMs > 0 ? ` + ${formatDurationMs(injectedMs)} of injected delay` : '') + (thresholdMs > 0 ? ` + ${formatDurationMs(thresholdMs)} for a time-valued threshold to be passed` : '');
  return { inFlightMs: injectedMs + thresholdMs, delay };
}

import type { CompiledSystem } from '../compile/compile-system.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { timeValuedThresholdMs } from './time-valued-threshold.ts';

/** How long after its fault an alert may go pending, wall seconds, and how that was derived. */
export interface DetectionBound {
  readonly seconds: number;
  readonly derivation: string;
}

/**
 * The scenario's `detectWithin`, or by default what the rule needs to see a fault: its longest
 * range, two scrapes and one evaluation (rule time, scaled); plus what is real time at any scale:
 * injected delay (a request slowed by 11 s is observed 11 s later) and a threshold that is itself
 * a time (a transaction is 5 s old no sooner than 5 s after it began).
 */
export function detectionBound(rule: CompiledRule, compiled: CompiledSystem, detectWithin: string | undefined, injectedMs: number): DetectionBound {
  const scale = compiled.scale;
  const thresholdMs = timeValuedThresholdMs(rule, compiled);
  const inFlightMs = injectedMs + thresholdMs;
  const delay =
    (injectedMs > 0 ? ` + ${formatDurationMs(injectedMs)} of injected delay` : '') + (thresholdMs > 0 ? ` + ${formatDurationMs(thresholdMs)} for a time-valued threshold to be passed` : '');
  if (detectWithin !== undefined) {
    const ruleMs = parseDurationMs(detectWithin, 'detectWithin');
    return { seconds: (ruleMs / scale + inFlightMs) / 1000, derivation: `detectWithin ${detectWithin} of rule time${delay}` };
  }
  const scrapeMs = compiled.scrapeIntervalMs * scale;
  const evaluationMs = rule.scaledEvaluationIntervalMs * scale;
  const ruleMs = rule.longestRangeMs + 2 * scrapeMs + evaluationMs;
  return {
    seconds: (ruleMs / scale + inFlightMs) / 1000,
    derivation: `default: range ${formatDurationMs(rule.longestRangeMs)} + 2 scrapes of ${formatDurationMs(scrapeMs)} + 1 evaluation of ${formatDurationMs(evaluationMs)} = ${formatDurationMs(ruleMs)} of rule time${delay}`,
  };
}

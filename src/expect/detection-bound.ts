import type { CompiledSystem } from '../compile/compile-system.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';

/** How long after its fault an alert may go pending, wall seconds, and how that was derived. */
export interface DetectionBound {
  readonly seconds: number;
  readonly derivation: string;
}

/**
 * The scenario's `detectWithin`, or by default what the rule needs to see a fault: its longest
 * range, two scrapes and one evaluation (rule time, scaled); plus injected delay, which is real
 * time: a request slowed by 11 s is observed 11 s later at any scale.
 */
export function detectionBound(rule: CompiledRule, compiled: CompiledSystem, detectWithin: string | undefined, inFlightMs: number): DetectionBound {
  const scale = compiled.scale;
  const delay = inFlightMs > 0 ? ` + ${formatDurationMs(inFlightMs)} of injected delay` : '';
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

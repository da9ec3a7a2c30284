import type { CounterNames } from './counter-names.ts';
import type { LintFinding } from './lint-finding.ts';
import { compactText, type TextEdit } from './compact-text.ts';
import { selectorsIn, type ParsedPromql, type PromqlNode, type Selector } from './promql-tree.ts';
import { rateWrap } from './rate-wrap.ts';
import { rawCounterUse } from './raw-counter-use.ts';
import { ruleFinding, theAlert, type RuleEntry } from './rule-entries.ts';

interface RawUse {
  readonly selector: Selector;
  readonly kind: 'ratio' | 'comparison';
  readonly at: PromqlNode;
}

/**
 * Counters divided or compared as they are, without rate(): `hits_total / (hits_total + misses_total)`
 * is the hit ratio since the process started, which barely moves, so the alert fires late and never
 * resolves. Counters that rate(), increase(), absent(), count() and the like consume first are fine,
 * as are records that only copy a counter (their uses are checked where they are divided or compared).
 */
export function counterWithoutRate(rules: readonly RuleEntry[], counters: CounterNames): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of rules) {
    const uses: RawUse[] = [];
    for (const selector of selectorsIn(entry.promql, entry.promql.root)) {
      if (!counters.has(selector.metric)) continue;
      const use = rawCounterUse(entry.promql, selector.node);
      if (use.kind === 'ratio' || use.kind === 'comparison') uses.push({ selector, kind: use.kind, at: use.at });
    }
    if (uses.length === 0) continue;
    const names = [...new Set(uses.map((use) => describe(use.selector.metric!, counters)))].join(' and ');
    const fix = `write ${rewritten(entry.promql, uses)}`;
    const message = uses.some((use) => use.kind === 'ratio')
      ? `${names} divided without rate(): a ratio of lifetime totals since start, which barely moves, so ${theAlert(entry)} fires late and never resolves; ${fix}`
      : `${names} compared without rate(): a lifetime total since start, which only grows, so ${theAlert(entry)} follows the process's age rather than what happens now; ${fix}, with the threshold per second`;
    findings.push(ruleFinding('counter-without-rate', entry, message));
  }
  return findings;
}

function describe(metric: string, counters: CounterNames): string {
  const sources = counters.copiedFrom(metric);
  return sources.length === 0 ? metric : `${metric} (a record of ${sources.join(', ')} without rate())`;
}

/** The smallest flagged division or comparison that holds every raw use, each counter wrapped in rate(). */
function rewritten(parsed: ParsedPromql, uses: readonly RawUse[]): string {
  const within = (outer: PromqlNode, inner: PromqlNode) => outer.from <= inner.from && inner.to <= outer.to;
  const scope = uses.map((use) => use.at).find((at) => uses.every((use) => within(at, use.at))) ?? parsed.root;
  const opens: TextEdit[] = [];
  const closes: TextEdit[] = [];
  for (const { selector } of uses) {
    const wrap = rateWrap(selector.node);
    opens.push(wrap.open);
    closes.push(...wrap.close);
  }
  return compactText(parsed, scope, [...opens, ...closes]);
}

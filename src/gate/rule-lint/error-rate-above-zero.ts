import type { LintFinding } from './lint-finding.ts';
import { compactText } from './compact-text.ts';
import { binaryParts, descendants, functionName, numberValue, readSelector, type LabelMatcher, type ParsedPromql, type PromqlNode, type Selector } from './promql-tree.ts';
import { ruleFinding, type RuleEntry } from './rule-entries.ts';

const WINDOWED = new Set(['rate', 'increase', 'irate']);
const ERROR_WORDS = ['error', 'errs', 'fail', 'exception'];

/**
 * Alerts that fire on any error at all: a rate or increase of an error-like series compared with
 * `> 0` (or `!= 0`, `0 <`). One failed request pages, and the alert resolves as soon as that error
 * leaves the window, so it flaps on noise; a ratio against a threshold or a count over a window
 * held with `for` pages on a real problem.
 */
export function errorRateAboveZero(rules: readonly RuleEntry[]): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of rules) {
    if (entry.kind !== 'alert') continue;
    const parsed = entry.promql;
    for (const comparison of descendants(parsed.root, 'BinaryExpr')) {
      const watched = sideComparedAboveZero(parsed, comparison);
      const error = watched && windowedErrors(parsed, watched)[0];
      if (!error) continue;
      findings.push(ruleFinding('error-rate-above-zero', entry, `${compactText(parsed, comparison)}: a single error pages, and the alert resolves as soon as it leaves the window; ${suggestion(parsed, error)}`));
    }
  }
  return findings;
}

/** The compared side of `x > 0`, `x != 0` or `0 < x`; undefined for any other comparison. */
function sideComparedAboveZero(parsed: ParsedPromql, binary: PromqlNode): PromqlNode | undefined {
  const parts = binaryParts(binary);
  if (!parts) return undefined;
  const op = parts.op.name;
  if (numberValue(parsed, parts.rhs) === 0 && (op === 'Gtr' || op === 'Neq')) return parts.lhs;
  if (numberValue(parsed, parts.lhs) === 0 && (op === 'Lss' || op === 'Neq')) return parts.rhs;
  return undefined;
}

interface WindowedError {
  readonly selector: Selector;
  /** The matcher that makes it an error series; undefined when the metric name does. */
  readonly errorMatcher: LabelMatcher | undefined;
  readonly range: string;
}

/** rate(), increase() and irate() calls under `node` whose series are errors by name or by matcher. */
function windowedErrors(parsed: ParsedPromql, node: PromqlNode): WindowedError[] {
  const found: WindowedError[] = [];
  for (const call of descendants(node, 'FunctionCall')) {
    if (!WINDOWED.has(functionName(parsed, call))) continue;
    const matrix = descendants(call, 'MatrixSelector')[0];
    const vector = matrix?.getChild('VectorSelector');
    const duration = matrix?.getChild('DurationExpr');
    if (!vector || !duration) continue;
    const selector = readSelector(parsed, vector);
    const errorMatcher = selector.matchers.find(isErrorMatcher);
    if (errorMatcher || mentionsError(selector.metric ?? '')) found.push({ selector, errorMatcher, range: parsed.text(duration) });
  }
  return found;
}

function mentionsError(text: string): boolean {
  const lower = text.toLowerCase();
  return ERROR_WORDS.some((word) => lower.includes(word));
}

/** `status=~"5.."`, `code="503"`, `outcome="failure"`, `error="true"`: a positive matcher that selects failures. */
function isErrorMatcher(matcher: LabelMatcher): boolean {
  if (matcher.op !== '=' && matcher.op !== '=~') return false;
  if (matcher.value === '') return false;
  const statusLike = matcher.label.toLowerCase().includes('status') || matcher.label.toLowerCase().includes('code');
  if (statusLike && (matcher.value.startsWith('5') || matcher.value.startsWith('4'))) return true;
  return mentionsError(matcher.label) || mentionsError(matcher.value);
}

/** Both fixes, written over the user's own series: the total is the error selector without its error matcher. */
function suggestion(parsed: ParsedPromql, error: WindowedError): string {
  const errors = compactText(parsed, error.selector.node);
  const ratio = error.errorMatcher
    ? `sum(rate(${errors}[${error.range}])) / sum(rate(${withoutMatcher(error.selector, error.errorMatcher)}[${error.range}])) > 0.05`
    : `sum(rate(${errors}[${error.range}])) / sum(rate(<matching total>[${error.range}])) > 0.05`;
  return `alert on the error ratio, e.g. ${ratio}, or on a count over a window, e.g. increase(${errors}[10m]) > 5 with for: 5m`;
}

function withoutMatcher(selector: Selector, drop: LabelMatcher): string {
  const kept = selector.matchers.filter((m) => m !== drop).map((m) => m.source);
  const name = selector.metric ?? '';
  if (kept.length === 0) return name || '{}';
  return `${name}{${kept.join(', ')}}`;
}

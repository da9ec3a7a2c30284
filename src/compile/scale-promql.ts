import { parser } from '@prometheus-io/lezer-promql';
import { badInput } from '../errors.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { metricNamesIn } from './promql-metrics.ts';

/** A time window found in a PromQL expression, after scaling. */
export interface PromqlWindow {
  kind: 'range' | 'subquery-range' | 'subquery-step' | 'offset';
  text: string; // as written
  scaledMs: number;
}

export interface ScaledPromql {
  expr: string;
  windows: PromqlWindow[];
  /** Reads of the wall clock no rewrite makes rule time (`hour()`, `time() > x`), as written. */
  clockReads: string[];
  /** How far back each selector reads, as written (rule time): see `seriesReads`. */
  reads: SeriesRead[];
}

/**
 * How far back one selector reads: `rangeMs`, its range and the ranges of the subqueries around
 * it (`max_over_time(rate(x[5m])[10m:1m])` reads x 15m back); `offsetMs`, the offsets bound to it
 * and to those subqueries (negative ones count against it).
 */
export interface SeriesRead {
  readonly rangeMs: number;
  readonly offsetMs: number;
  /** The selector's metric name (its identifier, or a `__name__="..."` matcher); undefined when it names none. */
  readonly metric?: string;
}

const DURATION_LITERAL = 'NumberDurationLiteralInDurationContext';
/** Functions of the clock: at scale N the wall clock runs N times slower than rule time. */
const CLOCK_FUNCTIONS = new Set(['Time', 'Timestamp', 'Minute', 'Hour', 'DayOfWeek', 'DayOfMonth', 'DayOfYear', 'DaysInMonth', 'Month', 'Year']);

/**
 * Divides every range, offset and subquery duration of a PromQL expression by `scale`,
 * walking the real PromQL syntax tree so that numbers outside duration context
 * (thresholds, quantiles) are never touched.
 *
 * Two quantities would still read 1/scale of production, since traffic keeps its rate per wall
 * second while a window is 1/scale as long: a count (`increase()`, whose window holds 1/scale of
 * the events) and a difference of clock times (`time() - process_start_time_seconds`, wall
 * seconds of a world that runs scale times faster). Both are multiplied by `scale`, so that a
 * threshold on them means what it means in production. Any other read of the clock is returned in
 * `clockReads`: no rewrite makes it rule time.
 */
export function scalePromql(expr: string, scale: number, where: string): ScaledPromql {
  const tree = parser.parse(expr);
  const edits: { from: number; to: number; text: string }[] = [];
  const windows: PromqlWindow[] = [];
  const clockReads: string[] = [];
  // Ages already multiplied: what they read of the clock is part of the age.
  const ages: { from: number; to: number }[] = [];
  const timesScale = (node: { from: number; to: number }) => {
    if (scale === 1) return;
    edits.push({ from: node.from, to: node.from, text: '((' }, { from: node.to, to: node.to, text: `) * ${scale})` });
  };
  let syntaxErrorAt: number | undefined;

  tree.iterate({
    enter(node) {
      if (node.type.isError && syntaxErrorAt === undefined) syntaxErrorAt = node.from;
      if (node.name === 'FunctionCall' && functionOf(node.node) === 'Increase') timesScale(node);
      if (node.name === 'BinaryExpr' && isAge(node.node)) {
        // Prometheus binds `offset` and `@` to the selector before them; the parser, to the whole subtraction.
        let whole: TreeNode = node.node;
        while (whole.parent && (whole.parent.name === 'OffsetExpr' || whole.parent.name === 'StepInvariantExpr')) whole = whole.parent;
        timesScale(whole);
        ages.push(whole);
      }
      const withinAge = ages.some((age) => age.from <= node.from && node.to <= age.to);
      if (node.name === 'FunctionCall' && CLOCK_FUNCTIONS.has(functionOf(node.node) ?? '') && !withinAge) {
        clockReads.push(expr.slice(node.from, node.to));
      }
      if (node.name !== DURATION_LITERAL) return;
      const text = expr.slice(node.from, node.to);
      const scaledMs = parseDurationMs(text, where, 'seconds') / scale;
      edits.push({ from: node.from, to: node.to, text: formatDurationMs(scaledMs) });
      windows.push({ kind: windowKind(node.node.parent?.parent, node.node.parent), text, scaledMs });
    },
  });
  if (syntaxErrorAt !== undefined) {
    throw badInput(`${where}: PromQL does not parse near column ${syntaxErrorAt + 1}: ${expr.trim()}`);
  }

  let scaled = expr;
  // From the end, so that each edit's offsets still hold; an insertion at a duration's end goes first.
  for (const edit of [...edits].sort((a, b) => b.from - a.from)) {
    scaled = scaled.slice(0, edit.from) + edit.text + scaled.slice(edit.to);
  }
  return { expr: scaled, windows, clockReads, reads: seriesReads(tree.topNode as unknown as TreeNode, expr, where) };
}

/**
 * What an `offset` binds to: Prometheus binds it to the selector (or subquery) just before it; the
 * parser to the whole binary expression before it (`a - b offset 1h` is `(a - b) offset 1h` in the
 * tree), so the right-most operand is the one it shifts.
 */
function offsetTarget(offsetExpr: TreeNode): TreeNode | undefined {
  let target = offsetExpr.firstChild ?? undefined;
  while (target?.name === 'BinaryExpr') target = childrenOf(target).at(-1);
  return target;
}

/** Every selector's reach back in time (SeriesRead), from the syntax tree around it. */
function seriesReads(top: TreeNode, expr: string, where: string): SeriesRead[] {
  const reads: SeriesRead[] = [];
  const durationMs = (node: TreeNode | undefined) => {
    if (!node) return 0;
    const text = expr.slice(node.from, node.to).replace(/\s+/g, '');
    return text.startsWith('-') ? -parseDurationMs(text.slice(1), where, 'seconds') : parseDurationMs(text, where, 'seconds');
  };
  const visit = (node: TreeNode) => {
    if (node.name === 'VectorSelector') {
      let rangeMs = 0;
      let offsetMs = 0;
      for (let around = node.parent; around; around = around.parent) {
        const parts = childrenOf(around);
        if (around.name === 'MatrixSelector' || around.name === 'SubqueryExpr') rangeMs += durationMs(parts.find((c) => c.name === 'DurationExpr'));
        const target = around.name === 'OffsetExpr' ? offsetTarget(around) : undefined;
        if (target && target.from <= node.from && node.to <= target.to) offsetMs += durationMs(parts.find((c) => c.name === 'OffsetDurationExpr'));
      }
      const [metric] = metricNamesIn(expr.slice(node.from, node.to));
      reads.push(metric === undefined ? { rangeMs, offsetMs } : { rangeMs, offsetMs, metric });
    }
    childrenOf(node).forEach(visit);
  };
  visit(top);
  return reads;
}

type TreeNode = { name: string; from: number; to: number; parent: TreeNode | null; firstChild: TreeNode | null; nextSibling: TreeNode | null };

function childrenOf(node: TreeNode): TreeNode[] {
  const children: TreeNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

/** The function a FunctionCall calls, as the grammar's token name (`Increase`, `Time`). */
function functionOf(call: TreeNode): string | undefined {
  const identifier = childrenOf(call).find((c) => c.name === 'FunctionIdentifier');
  return identifier?.firstChild?.name;
}

function unparenthesised(node: TreeNode): TreeNode {
  let inner = node;
  while (inner.name === 'ParenExpr') inner = childrenOf(inner).find((c) => c.name !== '(' && c.name !== ')') ?? inner;
  return inner;
}

/**
 * An age: now, or a sample's time, less an earlier time of the drill's world (`time() -
 * process_start_time_seconds`, `time() - timestamp(x)`). A clock time less a number (`time() -
 * 3600`) is a clock time; a time less now (`cert_expiry - time()`, often a deadline of the real
 * world, a certificate's) is not an age either: both stay clock reads.
 */
function isAge(binary: TreeNode): boolean {
  const children = childrenOf(binary);
  if (!children.some((c) => c.name === 'Sub')) return false;
  const [left, right] = children.filter((c) => c.name !== 'Sub' && c.name !== 'MatchingModifierClause' && c.name !== 'BoolModifier').map(unparenthesised);
  if (!left || !right || isNumber(right) || isNow(right)) return false;
  return isNow(left) || (left.name === 'FunctionCall' && functionOf(left) === 'Timestamp');
}

/** time(), or vector(time()). */
function isNow(node: TreeNode): boolean {
  if (node.name !== 'FunctionCall') return false;
  if (functionOf(node) === 'Time') return true;
  if (functionOf(node) !== 'Vector') return false;
  const body = childrenOf(node).find((c) => c.name === 'FunctionCallBody');
  const argument = body && childrenOf(body).map(unparenthesised).find((c) => c.name === 'FunctionCall');
  return argument !== undefined && functionOf(argument) === 'Time';
}

/** An expression of numbers alone (`86400 * 7`): no selector and no function in it. */
function isNumber(node: TreeNode): boolean {
  if (node.name === 'VectorSelector' || node.name === 'MatrixSelector' || node.name === 'FunctionCall' || node.name === 'SubqueryExpr') return false;
  return childrenOf(node).every(isNumber);
}

type SyntaxNodeLike = { name: string; parent: SyntaxNodeLike | null; firstChild: SyntaxNodeLike | null; from: number } | null | undefined;

function windowKind(holder: SyntaxNodeLike, durationExpr: SyntaxNodeLike): PromqlWindow['kind'] {
  if (durationExpr?.name === 'OffsetDurationExpr' || holder?.name === 'OffsetDurationExpr') return 'offset';
  if (holder?.name === 'SubqueryExpr') {
    // The first duration in `expr[range:step]` is the range, a second one the step.
    let durations = 0;
    for (let child = holder.firstChild; child; child = (child as { nextSibling?: SyntaxNodeLike }).nextSibling ?? null) {
      if (child.name === 'DurationExpr') {
        durations += 1;
        if (child.from === durationExpr?.from) return durations === 1 ? 'subquery-range' : 'subquery-step';
      }
    }
    return 'subquery-range';
  }
  return 'range';
}

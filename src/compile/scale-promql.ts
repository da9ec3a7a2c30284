import { parser } from '@prometheus-io/lezer-promql';
import { badInput } from '../errors.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';

/** A time window found in a PromQL expression, after scaling. */
export interface PromqlWindow {
  kind: 'range' | 'subquery-range' | 'subquery-step' | 'offset';
  text: string; // as written
  scaledMs: number;
}

export interface ScaledPromql {
  expr: string;
  windows: PromqlWindow[];
}

const DURATION_LITERAL = 'NumberDurationLiteralInDurationContext';

/**
 * Divides every range, offset and subquery duration of a PromQL expression by `scale`,
 * walking the real PromQL syntax tree so that numbers outside duration context
 * (thresholds, quantiles) are never touched.
 */
export function scalePromql(expr: string, scale: number, where: string): ScaledPromql {
  const tree = parser.parse(expr);
  const edits: { from: number; to: number; text: string }[] = [];
  const windows: PromqlWindow[] = [];
  let syntaxErrorAt: number | undefined;

  tree.iterate({
    enter(node) {
      if (node.type.isError && syntaxErrorAt === undefined) syntaxErrorAt = node.from;
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
  for (const edit of [...edits].sort((a, b) => b.from - a.from)) {
    scaled = scaled.slice(0, edit.from) + edit.text + scaled.slice(edit.to);
  }
  return { expr: scaled, windows };
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

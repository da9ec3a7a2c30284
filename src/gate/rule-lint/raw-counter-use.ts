import { aggregationOp, argumentsOf, binaryParts, descendants, functionName, numberValue, sameNode, type ParsedPromql, type PromqlNode } from './promql-tree.ts';

/**
 * What an expression does with a counter's raw (lifetime) value:
 * - `ratio` / `comparison`: divides or compares it, at node `at` — the lifetime mistake;
 * - `copied`: the value reaches the expression's result unchanged (summed, relabelled, scaled);
 * - `consumed`: something makes it a per-window or presence value first (rate(), absent(), count, ...).
 */
export type RawCounterUse = { readonly kind: 'ratio' | 'comparison'; readonly at: PromqlNode } | { readonly kind: 'copied' | 'consumed' };

/** Functions whose result is still the counter's value, relabelled or rounded; any other function consumes it. */
const VALUE_PRESERVING = new Set(['label_replace', 'label_join', 'abs', 'ceil', 'floor', 'round', 'clamp', 'clamp_min', 'clamp_max', 'sort', 'sort_desc', 'sort_by_label', 'sort_by_label_desc']);

/** Aggregations that answer "is there a series", not "how much". */
const PRESENCE_AGGREGATIONS = new Set(['count', 'group', 'count_values']);

const COMPARISONS = new Set(['Eql', 'Neq', 'Lss', 'Lte', 'Gtr', 'Gte']);

/**
 * Follows a selector's value up the tree until something divides, compares or consumes it.
 * `a_total / (a_total + b_total)` -> ratio for each; `rate(a_total[5m])` -> consumed (range selectors
 * only feed range functions); `x_total - x_total offset 1h` -> consumed (a hand-written increase).
 */
export function rawCounterUse(parsed: ParsedPromql, selector: PromqlNode): RawCounterUse {
  let child = selector;
  for (let node = selector.parent; node; child = node, node = node.parent) {
    switch (node.name) {
      case 'PromQL':
        return { kind: 'copied' };
      case 'MatrixSelector':
      case 'SubqueryExpr':
        return { kind: 'consumed' };
      case 'FunctionCall':
        if (!VALUE_PRESERVING.has(functionName(parsed, node))) return { kind: 'consumed' };
        break;
      case 'AggregateExpr': {
        const operands = argumentsOf(node);
        // topk(3, x) and quantile(0.9, x): a value in the parameter slot is not aggregated.
        const isParameter = operands.length > 1 && operands[0] !== undefined && contains(operands[0], selector);
        if (PRESENCE_AGGREGATIONS.has(aggregationOp(parsed, node)) || isParameter) return { kind: 'consumed' };
        break;
      }
      case 'BinaryExpr': {
        const use = binaryUse(parsed, node, child);
        if (use) return use;
        break;
      }
      default:
        // ParenExpr, UnaryExpr, OffsetExpr, StepInvariantExpr, FunctionCallBody: the value passes through.
        break;
    }
  }
  return { kind: 'copied' };
}

function binaryUse(parsed: ParsedPromql, binary: PromqlNode, child: PromqlNode): RawCounterUse | undefined {
  const parts = binaryParts(binary);
  if (!parts) return { kind: 'consumed' };
  const op = parts.op.name;
  const other = sameNode(parts.lhs, child) ? parts.rhs : parts.lhs;
  if (COMPARISONS.has(op)) return { kind: 'comparison', at: binary };
  if (op === 'Div') return numberValue(parsed, other) === undefined ? { kind: 'ratio', at: binary } : undefined;
  // lezer-promql hangs a trailing `offset` on the whole `a - b offset 1h` rather than on `b`, so look above too.
  const offset = descendants(parts.lhs, 'OffsetExpr').length > 0 || descendants(parts.rhs, 'OffsetExpr').length > 0 || binary.parent?.name === 'OffsetExpr';
  if (op === 'Sub' && offset) return { kind: 'consumed' };
  if (op === 'Add' || op === 'Sub' || op === 'Mul' || op === 'Or') return undefined;
  // `x and y`, `x unless y`: only the left side's values go on; the right side is a filter.
  if ((op === 'And' || op === 'Unless') && sameNode(parts.lhs, child)) return undefined;
  return { kind: 'consumed' };
}

function contains(outer: PromqlNode, inner: PromqlNode): boolean {
  return outer.from <= inner.from && inner.to <= outer.to;
}

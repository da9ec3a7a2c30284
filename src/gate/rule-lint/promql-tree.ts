import { parser } from '@prometheus-io/lezer-promql';

/** A node of the parsed PromQL tree (the parser's own type, so no second declaration drifts from it). */
export type PromqlNode = ReturnType<typeof parser.parse>['topNode'];

/** An expression and its syntax tree; `text(node)` reads a node's source. */
export interface ParsedPromql {
  readonly expr: string;
  readonly root: PromqlNode;
  text(node: PromqlNode): string;
}

/** One label matcher of a selector, its value decoded from the PromQL string literal. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
  /** The matcher as written: `job=~"api|web"`. */
  readonly source: string;
}

/** A vector selector: its metric name (from the identifier or a `__name__="..."` matcher) and its other matchers. */
export interface Selector {
  readonly node: PromqlNode;
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
}

/**
 * Parses an expression; undefined when the parser had to recover from a syntax error, because a
 * recovered tree misplaces nodes and the lint would then report nonsense (promtool names the error).
 */
export function parsePromql(expr: string): ParsedPromql | undefined {
  const tree = parser.parse(expr);
  let broken = false;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) broken = true;
      return !broken;
    },
  });
  if (broken) return undefined;
  return { expr, root: tree.topNode, text: (node) => expr.slice(node.from, node.to) };
}

export function childrenOf(node: PromqlNode): PromqlNode[] {
  const out: PromqlNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** Every descendant of `node` (itself included) with the given node name, in source order. */
export function descendants(node: PromqlNode, name: string): PromqlNode[] {
  const out: PromqlNode[] = [];
  const visit = (n: PromqlNode) => {
    if (n.name === name) out.push(n);
    for (const child of childrenOf(n)) visit(child);
  };
  visit(node);
  return out;
}

/** Whether two references point at the same node (the tree hands out fresh objects on each visit). */
export function sameNode(a: PromqlNode, b: PromqlNode): boolean {
  return a.from === b.from && a.to === b.to && a.name === b.name;
}

/** The ancestors of `node`, nearest first, up to but not including `stop` (or the root). */
export function ancestorsBelow(node: PromqlNode, stop: PromqlNode | undefined): PromqlNode[] {
  const out: PromqlNode[] = [];
  for (let up = node.parent; up && !(stop && sameNode(up, stop)); up = up.parent) out.push(up);
  return out;
}

/** `rate` for `rate(x[5m])`: the function's name as written, lower case as PromQL requires. */
export function functionName(parsed: ParsedPromql, call: PromqlNode): string {
  const id = call.getChild('FunctionIdentifier');
  return id ? parsed.text(id) : '';
}

/** The arguments of a function call or the operands of an aggregation, in order. */
export function argumentsOf(call: PromqlNode): PromqlNode[] {
  const body = call.getChild('FunctionCallBody');
  return body ? childrenOf(body) : [];
}

/** `sum` for `sum by (le) (x)`. */
export function aggregationOp(parsed: ParsedPromql, aggregate: PromqlNode): string {
  const op = aggregate.getChild('AggregateOp');
  return op ? parsed.text(op) : '';
}

/** An aggregation's grouping: `by (le, job)` -> { kind: 'by', labels: ['le', 'job'] }; no clause -> kind 'none'. */
export function aggregationGrouping(parsed: ParsedPromql, aggregate: PromqlNode): { kind: 'by' | 'without' | 'none'; labels: string[]; text: string } {
  const modifier = aggregate.getChild('AggregateModifier');
  if (!modifier) return { kind: 'none', labels: [], text: '' };
  const labels = childrenOf(modifier.getChild('GroupingLabels') ?? modifier)
    .map((label) => (label.name === 'QuotedLabelName' ? stringValue(parsed.text(label)) : label.name === 'LabelName' ? parsed.text(label) : undefined))
    .filter((label): label is string => label !== undefined);
  return { kind: modifier.getChild('Without') ? 'without' : 'by', labels, text: parsed.text(modifier) };
}

/** The binary operator node of a BinaryExpr (`>`, `/`, `and`, ...); its operands are the first and last children. */
export function binaryParts(binary: PromqlNode): { lhs: PromqlNode; op: PromqlNode; rhs: PromqlNode } | undefined {
  const parts = childrenOf(binary);
  const lhs = parts[0];
  const op = parts[1];
  const rhs = parts.at(-1);
  return lhs && op && rhs && lhs !== rhs ? { lhs, op, rhs } : undefined;
}

/** The value of a number literal, also through parentheses and a sign: `(-1)` -> -1; undefined for anything else. */
export function numberValue(parsed: ParsedPromql, node: PromqlNode): number | undefined {
  if (node.name === 'NumberDurationLiteral') {
    const value = Number(parsed.text(node));
    return Number.isNaN(value) ? undefined : value;
  }
  if (node.name === 'ParenExpr') return node.firstChild ? numberValue(parsed, node.firstChild) : undefined;
  if (node.name === 'UnaryExpr') {
    const inner = node.lastChild ? numberValue(parsed, node.lastChild) : undefined;
    const negative = node.getChild('UnaryOp') && parsed.text(node.getChild('UnaryOp')!) === '-';
    return inner === undefined ? undefined : negative ? -inner : inner;
  }
  return undefined;
}

/** Every vector selector under `node`, with metric name and matchers read from the tree. */
export function selectorsIn(parsed: ParsedPromql, node: PromqlNode): Selector[] {
  return descendants(node, 'VectorSelector').map((selector) => readSelector(parsed, selector));
}

export function readSelector(parsed: ParsedPromql, selector: PromqlNode): Selector {
  const matchers: LabelMatcher[] = [];
  let metric = selector.getChild('Identifier') ? parsed.text(selector.getChild('Identifier')!) : undefined;
  for (const matcher of childrenOf(selector.getChild('LabelMatchers') ?? selector)) {
    if (matcher.name !== 'UnquotedLabelMatcher' && matcher.name !== 'QuotedLabelMatcher') continue;
    const nameNode = matcher.getChild('LabelName') ?? matcher.getChild('QuotedLabelName');
    const opNode = matcher.getChild('MatchOp');
    const valueNode = matcher.lastChild;
    if (!nameNode || !opNode || !valueNode || valueNode.name !== 'StringLiteral') continue;
    const label = nameNode.name === 'QuotedLabelName' ? stringValue(parsed.text(nameNode)) : parsed.text(nameNode);
    const op = parsed.text(opNode) as LabelMatcher['op'];
    const value = stringValue(parsed.text(valueNode));
    if (label === '__name__' && op === '=') metric = value;
    else matchers.push({ label, op, value, source: parsed.text(matcher) });
  }
  return { node: selector, metric, matchers };
}

/** Decodes a PromQL string literal: double-quoted (Go escapes, close enough to JSON), single-quoted or raw backticks. */
export function stringValue(literal: string): string {
  const quote = literal[0];
  const inner = literal.slice(1, -1);
  if (quote === '`') return inner;
  if (quote === "'") return JSON.parse(`"${inner.split("\\'").join("'").split('"').join('\\"')}"`) as string;
  try {
    return JSON.parse(literal) as string;
  } catch {
    return inner;
  }
}

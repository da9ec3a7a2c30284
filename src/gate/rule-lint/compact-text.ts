import { childrenOf, type ParsedPromql, type PromqlNode } from './promql-tree.ts';

/** Replaces source offsets `from`..`to` with `text`; an insertion when they are equal. */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/**
 * The source of `node` on one line, with edits applied (at one offset, in the order given).
 * Whitespace is collapsed only outside the parser's leaf tokens, so string literals keep theirs.
 */
export function compactText(parsed: ParsedPromql, node: PromqlNode, edits: readonly TextEdit[] = []): string {
  const leaves: PromqlNode[] = [];
  const collect = (n: PromqlNode) => {
    if (!n.firstChild) leaves.push(n);
    for (const child of childrenOf(n)) collect(child);
  };
  collect(node);
  const inside = edits.filter((e) => node.from <= e.from && e.to <= node.to);
  const cuts = [...new Set([node.from, node.to, ...leaves.flatMap((l) => [l.from, l.to]), ...inside.flatMap((e) => [e.from, e.to])])].sort((a, b) => a - b);
  let out = '';
  const append = (text: string) => {
    for (const char of text) {
      if (char === ' ' || char === '\n' || char === '\t' || char === '\r') {
        if (out !== '' && !out.endsWith(' ') && !out.endsWith('(')) out += ' ';
      } else {
        if ((char === ')' || char === ',') && out.endsWith(' ')) out = out.slice(0, -1);
        out += char;
      }
    }
  };
  for (let i = 0; i < cuts.length; i += 1) {
    const at = cuts[i]!;
    for (const edit of inside) if (edit.from === at) append(edit.text);
    const next = cuts[i + 1];
    if (next === undefined) break;
    if (inside.some((e) => e.from <= at && next <= e.to && e.from < e.to)) continue;
    const piece = parsed.expr.slice(at, next);
    if (leaves.some((l) => l.from <= at && next <= l.to)) out += piece;
    else append(piece);
  }
  return out.trimEnd();
}

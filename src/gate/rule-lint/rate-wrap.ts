import type { TextEdit } from './compact-text.ts';
import type { PromqlNode } from './promql-tree.ts';

/** The window the fixes suggest; 5m spans several scrapes at any common scrape interval. */
export const SUGGESTED_RANGE = '5m';

/**
 * The edits that put a raw selector inside `rate(...[5m])`: `x offset 1h` -> `rate(x[5m] offset 1h)`,
 * since an `offset` or `@` modifier must follow the range. Apply every `open` before every `close`.
 */
export function rateWrap(selector: PromqlNode): { open: TextEdit; close: TextEdit[] } {
  const parent = selector.parent;
  const wrapped = parent && (parent.name === 'OffsetExpr' || parent.name === 'StepInvariantExpr') && parent.firstChild?.name === 'VectorSelector' ? parent : selector;
  return {
    open: { from: wrapped.from, to: wrapped.from, text: 'rate(' },
    close: [
      { from: selector.to, to: selector.to, text: `[${SUGGESTED_RANGE}]` },
      { from: wrapped.to, to: wrapped.to, text: ')' },
    ],
  };
}

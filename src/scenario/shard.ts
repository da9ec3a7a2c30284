import { badInput } from '../errors.ts';

/** Shard `index` of `count`, both counted from 1 as written on the command line: `--shard 2/3`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw badInput(`--shard ${text}: write it as i/n with 1 <= i <= n, e.g. --shard 1/3`);
  }
  return { index, count };
}

/**
 * Splits work across shards so that their wall times come out even: longest first, each to the
 * shard with the least so far (ties to the lower index). Every shard computes the same split
 * from the same scenarios, so the shards of one CI matrix cover each scenario exactly once.
 */
export function shardOf<T>(items: readonly T[], shard: Shard, estimateMs: (item: T) => number, name: (item: T) => string): T[] {
  const totals = Array.from({ length: shard.count }, () => 0);
  const mine: T[] = [];
  const ordered = [...items].sort((a, b) => estimateMs(b) - estimateMs(a) || name(a).localeCompare(name(b)));
  for (const item of ordered) {
    const target = totals.indexOf(Math.min(...totals));
    totals[target]! += estimateMs(item);
    if (target === shard.index - 1) mine.push(item);
  }
  return items.filter((item) => mine.includes(item));
}

import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from './shard.ts';

const drills = [
  { name: 'a', ms: 90 }, { name: 'b', ms: 80 }, { name: 'c', ms: 40 }, { name: 'd', ms: 40 },
  { name: 'e', ms: 30 }, { name: 'f', ms: 20 }, { name: 'g', ms: 10 },
];
const split = (count: number) => Array.from({ length: count }, (_, i) => shardOf(drills, { index: i + 1, count }, (d) => d.ms, (d) => d.name).map((d) => d.name));

describe('shards', () => {
  it('cover every scenario exactly once, longest first to the least loaded shard', () => {
    const shards = split(3);
    expect(shards).toEqual([['a', 'g'], ['b', 'e'], ['c', 'd', 'f']]); // totals 100, 110, 100
    expect(shards.flat().sort()).toEqual(drills.map((d) => d.name));
  });

  it('come out the same whatever order the scenarios were loaded in', () => {
    const reversed = [...drills].reverse();
    const again = Array.from({ length: 3 }, (_, i) => shardOf(reversed, { index: i + 1, count: 3 }, (d) => d.ms, (d) => d.name).map((d) => d.name).sort());
    expect(again).toEqual(split(3).map((s) => [...s].sort()));
  });

  it('parse i/n and refuse anything else with the form to use', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/2', '0/3', '1/0', '1-3', 'x']) {
      expect(() => parseShard(bad)).toThrow(`--shard ${bad}: write it as i/n with 1 <= i <= n, e.g. --shard 1/3`);
    }
  });
});

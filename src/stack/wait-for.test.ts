import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.ts';

describe('waitFor', () => {
  it('names what it waited for, for how long, and what it saw last', async () => {
    await expect(waitFor('the answer', async () => ({ seen: 'silence' }), { timeoutMs: 60, pollMs: 10 })).rejects.toThrow('timed out after 60ms waiting for the answer; last seen: silence');
  });

  it('asks nothing before probeFrom, yet ends at once when abortIf speaks meanwhile', async () => {
    const probedAt: number[] = [];
    const from = Date.now() + 200;
    const value = await waitFor('ready', async () => (probedAt.push(Date.now()), { value: true, seen: 'ready' }), { timeoutMs: 5_000, pollMs: 10, probeFrom: { atMs: from, why: 'not before the tick' } });
    expect(value).toBe(true);
    expect(probedAt).toHaveLength(1);
    expect(probedAt[0]).toBeGreaterThanOrEqual(from);

    let polls = 0;
    const probe = async () => (polls++, { seen: 'never' });
    const dead = waitFor('ready', probe, { timeoutMs: 5_000, pollMs: 10, abortIf: () => (Date.now() >= from + 100 ? 'it exited' : undefined), probeFrom: { atMs: from + 10_000, why: 'not before the tick' } });
    await expect(dead).rejects.toThrow('while waiting for ready: it exited');
    expect(polls).toBe(0);
  });

  it('asks once at its deadline even when probeFrom is later', async () => {
    let polls = 0;
    const wait = waitFor('targets up', async () => (polls++, { seen: 'api=down' }), { timeoutMs: 80, pollMs: 10, probeFrom: { atMs: Date.now() + 60_000, why: 'no target is scraped before the tick' } });
    await expect(wait).rejects.toThrow('last seen: api=down');
    expect(polls).toBe(1);
  });
});

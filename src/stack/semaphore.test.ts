import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.ts';

describe('Semaphore', () => {
  it('lets at most `permits` callers in at once, the others in order of arrival', async () => {
    const gate = new Semaphore(2);
    const inside: number[] = [];
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        gate.use(async () => {
          inside.push(n);
          peak = Math.max(peak, inside.length);
          order.push(n);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside.splice(inside.indexOf(n), 1);
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives the permit back when the work throws', async () => {
    const gate = new Semaphore(1);
    await expect(gate.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.use(async () => 'next')).toBe('next');
  });
});

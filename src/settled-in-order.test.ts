import { describe, expect, it } from 'vitest';
import { settledInOrder } from './settled-in-order.ts';

const after = <T>(ms: number, outcome: () => T) => new Promise<T>((resolve, reject) => setTimeout(() => {
  try {
    resolve(outcome());
  } catch (error) {
    reject(error);
  }
}, ms));

describe('settledInOrder', () => {
  it('gives the values in order, whichever ended first', async () => {
    expect(await settledInOrder([after(30, () => 'a'), after(0, () => 'b')])).toEqual(['a', 'b']);
  });

  it('throws the first failure in order, not the first to happen, once every part has ended', async () => {
    let lastEnded = false;
    const parts = [
      after(40, () => {
        throw new Error('first in order');
      }),
      after(0, () => {
        throw new Error('first to happen');
      }),
      after(60, () => (lastEnded = true)),
    ];
    await expect(settledInOrder(parts)).rejects.toThrow('first in order');
    expect(lastEnded).toBe(true);
  });
});

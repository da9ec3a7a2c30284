// Work started at once whose outcome must not depend on which part ends first: the first failure
// in the given order wins, and only once every part has ended (their cleanups included).

/** The values of `promises` once every one has settled, in order; the first rejection in order is thrown. */
export async function settledInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

// k6's check(): counts results like the `checks` metric.
export const checks = { passes: 0, fails: 0 };
export function check<T>(value: T, sets: Record<string, (v: T) => boolean>): boolean {
  let all = true;
  for (const test of Object.values(sets)) {
    const ok = test(value);
    if (ok) checks.passes += 1;
    else checks.fails += 1;
    all &&= ok;
  }
  return all;
}

// k6's sleep(): blocks the VU for `seconds`.
export function sleep(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

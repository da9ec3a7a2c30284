/** A whole gate run: 18 scenarios on one stack, about 9 minutes here; generous for a loaded machine. */
export const GATE_TIMEOUT_MS = 40 * 60_000;

/**
 * Bounded, slowly drifting noise (a mean-reverting random walk), so a healthy baseline looks like
 * a real host's instead of a flat line. It drifts over seconds rather than jumping every tick:
 * per-tick white noise would average away inside any rate() window and show nothing.
 */
export class Wobble {
  #value = 0;

  constructor(
    /** Typical distance from zero once settled. */
    private readonly spread: number,
    /** Hard bound on the distance from zero, so noise can never approach an alert threshold. */
    private readonly limit: number,
    private readonly settleSeconds = 10,
  ) {}

  /** Advances by `elapsedSeconds` of real time and returns the new offset. */
  next(elapsedSeconds: number): number {
    const dt = Math.max(0, elapsedSeconds);
    // Ornstein-Uhlenbeck step: the stationary spread is sigma * sqrt(settle / 2).
    const sigma = this.spread * Math.sqrt(2 / this.settleSeconds);
    const drifted = this.#value - (this.#value * dt) / this.settleSeconds + sigma * Math.sqrt(dt) * standardNormal();
    this.#value = Math.max(-this.limit, Math.min(this.limit, drifted));
    return this.#value;
  }
}

function standardNormal(): number {
  // Box-Muller; 1 - random() keeps the logarithm's argument above zero.
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

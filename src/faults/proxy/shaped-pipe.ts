import type { Readable, Writable } from 'node:stream';

/** What the link does to data right now; asked again for every chunk, so faults reach data in flight. */
export interface LinkConditions {
  /** Added delay for a chunk arriving now. */
  delayMs(): number;
  /** Throttle for the next bytes sent, or undefined for none. */
  bytesPerSecond(): number | undefined;
  /** True while nothing may pass (a blackhole). */
  held(): boolean;
}

/** A throttled link sends in slices this long, so a rate is kept smoothly and a revert takes effect at once. */
const SLICE_MS = 50;
/** Past this many queued bytes the source is paused, so a slow or held link pushes back like TCP does. */
const HIGH_WATER_BYTES = 256 * 1024;

interface Queued {
  /** Null marks the source's end, which is delayed like data. */
  readonly chunk: Buffer | null;
  readonly releaseAt: number;
}

/**
 * Moves one direction of traffic from `source` to `destination` under `LinkConditions`: each chunk
 * waits its delay (order kept: a chunk never overtakes the one before), then leaves at the throttled
 * rate unless the link is held. Call `nudge()` when the conditions change.
 */
export class ShapedPipe {
  readonly #queue: Queued[] = [];
  #queuedBytes = 0;
  #lastReleaseAt = 0;
  #nextSendAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #waitingForDrain = false;
  #closed = false;

  constructor(
    private readonly source: Readable,
    private readonly destination: Writable,
    private readonly conditions: LinkConditions,
  ) {
    source.on('data', (chunk: Buffer) => this.#enqueue(chunk));
    source.on('end', () => this.#enqueue(null));
    destination.on('drain', () => {
      this.#waitingForDrain = false;
      this.#pump();
    });
  }

  /** Re-reads the conditions: a reverted throttle or hold lets queued data go now. */
  nudge(): void {
    this.#pump();
  }

  /** Stops for good, dropping what is queued (the connection is gone). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  #enqueue(chunk: Buffer | null): void {
    if (this.#closed) return;
    const now = Date.now();
    const releaseAt = Math.max(this.#lastReleaseAt, now + this.conditions.delayMs());
    this.#lastReleaseAt = releaseAt;
    this.#queue.push({ chunk, releaseAt });
    if (chunk) {
      this.#queuedBytes += chunk.length;
      if (this.#queuedBytes > HIGH_WATER_BYTES) this.source.pause();
    }
    this.#pump();
  }

  #pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (!this.#closed && !this.#waitingForDrain && !this.conditions.held()) {
      const head = this.#queue[0];
      if (!head) return;
      const now = Date.now();
      const rate = this.conditions.bytesPerSecond();
      const readyAt = Math.max(head.releaseAt, rate === undefined || head.chunk === null ? 0 : this.#nextSendAt);
      if (readyAt > now) {
        this.#timer = setTimeout(() => this.#pump(), readyAt - now);
        return;
      }
      if (head.chunk === null) {
        this.#queue.shift();
        this.destination.end();
        return;
      }
      const slice = rate === undefined ? head.chunk : head.chunk.subarray(0, Math.max(1, Math.floor((rate * SLICE_MS) / 1000)));
      if (rate !== undefined) this.#nextSendAt = Math.max(this.#nextSendAt, now) + (slice.length * 1000) / rate;
      this.#take(slice.length);
      if (!this.destination.write(slice)) this.#waitingForDrain = true;
    }
  }

  /** Removes `length` bytes from the head of the queue and resumes a paused source once it has room. */
  #take(length: number): void {
    const head = this.#queue[0]!;
    if (length >= head.chunk!.length) this.#queue.shift();
    else this.#queue[0] = { chunk: head.chunk!.subarray(length), releaseAt: head.releaseAt };
    this.#queuedBytes -= length;
    if (this.#queuedBytes <= HIGH_WATER_BYTES / 2 && this.source.isPaused()) this.source.resume();
  }
}

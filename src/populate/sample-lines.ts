import { writeSync } from 'node:fs';

/** How much text is gathered before it goes to the file. */
const FLUSH_BYTES = 4 << 20;
/** Room for a sample's value and timestamp (`String` of a double is at most 25 characters). */
const NUMBERS_BYTES = 64;

/**
 * OpenMetrics sample lines (`<series> <value> <seconds>\n`) gathered as bytes and written to a file
 * in large pieces. Populate writes tens of millions of them; appended to one string, the text was a
 * rope of three pieces a sample that every write had to flatten, and the history's writing spent
 * about 14 CPU-seconds of a Piyasa week there (2.7 GB). Each series' text is encoded once; each
 * sample copies it and writes its two numbers.
 */
export class SampleLines {
  readonly #fd: number;
  readonly #buffer: Buffer;
  #length = 0;

  /** `fd`: an open file; `longestSeriesBytes` and `seriesPerStep`: the most text a step between flushes can add. */
  constructor(fd: number, longestSeriesBytes: number, seriesPerStep: number) {
    this.#fd = fd;
    this.#buffer = Buffer.allocUnsafe(FLUSH_BYTES + seriesPerStep * (longestSeriesBytes + NUMBERS_BYTES));
  }

  /** A series' text with its trailing space, as the lines will carry it. */
  static series(text: string): Buffer {
    return Buffer.from(`${text} `, 'utf8');
  }

  /** One line: `series` (from `SampleLines.series`), the value, and `time` (` <seconds>\n`, ASCII). */
  add(series: Buffer, value: number, time: string): void {
    this.#length += series.copy(this.#buffer, this.#length);
    this.#length += this.#buffer.write(String(value), this.#length, 'latin1');
    this.#length += this.#buffer.write(time, this.#length, 'latin1');
  }

  /** Writes what was gathered once it is large, at the end of a step (a step never outgrows the room left). */
  flushIfLarge(): void {
    if (this.#length > FLUSH_BYTES) this.flush();
  }

  flush(): void {
    let written = 0;
    while (written < this.#length) written += writeSync(this.#fd, this.#buffer, written, this.#length - written);
    this.#length = 0;
  }
}

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleLines } from './sample-lines.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-sample-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `samples` through SampleLines, flushing as populate does after each `perStep`, and returns the file's bytes. */
function written(name: string, samples: readonly [string, number, string][], perStep: number): Buffer {
  const file = path.join(dir, name);
  const fd = openSync(file, 'w');
  const texts = new Map(samples.map(([series]) => [series, SampleLines.series(series)]));
  const lines = new SampleLines(fd, Math.max(...[...texts.values()].map((t) => t.length)), perStep);
  samples.forEach(([series, value, time], i) => {
    lines.add(texts.get(series)!, value, time);
    if ((i + 1) % perStep === 0) lines.flushIfLarge();
  });
  lines.flush();
  closeSync(fd);
  return readFileSync(file);
}

describe('SampleLines', () => {
  it('writes each line as the text `<series> <value><time>` would be, in UTF-8, with every kind of number', () => {
    const samples: [string, number, string][] = [
      ['up{job="api"}', 1, ' 1733400000\n'],
      ['http_requests_total{route="/api/ürün",bot="🤖"}', 12_345.5, ' 1733400000.25\n'],
      ['gauge', -0.000_000_1, ' 1733400010\n'],
      ['gauge', 1e21, ' 1733400010\n'],
      ['gauge', 0.1 + 0.2, ' 1733400010\n'],
      ['gauge', Number.POSITIVE_INFINITY, ' 1733400020\n'],
    ];
    const expected = samples.map(([series, value, time]) => `${series} ${value}${time}`).join('');
    expect(written('kinds.om', samples, 2).toString('utf8')).toBe(expected);
  });

  it('keeps every line whole and in order across many flushes', () => {
    const series = ['a_total{instance="127.0.0.1:9100",path="/x"}', 'b{le="+Inf"}', 'c'];
    const samples: [string, number, string][] = [];
    for (let step = 0; step < 60_000; step++) for (const [i, s] of series.entries()) samples.push([s, step * 3 + i + 0.5, ` ${1_733_400_000 + step * 10}\n`]);
    const bytes = written('many.om', samples, series.length);
    expect(bytes.length).toBeGreaterThan(5 << 20); // past one flush of 4 MiB
    expect(bytes.toString('utf8')).toBe(samples.map(([s, value, time]) => `${s} ${value}${time}`).join(''));
  });
});

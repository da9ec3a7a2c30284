import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** uPlot's script and stylesheet, inlined so that the report opens with no network at all. */
export interface ChartAssets {
  readonly script: string;
  readonly css: string;
}

let cached: ChartAssets | undefined;

export function chartAssets(): ChartAssets {
  if (!cached) {
    const dist = path.dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
    cached = {
      script: readFileSync(path.join(dist, 'uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(path.join(dist, 'uPlot.min.css'), 'utf8'),
    };
  }
  return cached;
}

// The suite's wall time is its global setup (the gates), then its files three at a time, then the
// files that run alone: which of them to shorten or move depends on when each ran, which Vitest's
// own summary does not say. This reporter prints it after the summary.
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** Files shorter than this are summed per project, not listed one by one. */
const LISTED_FROM_MS = 10_000;

interface Span {
  readonly file: string;
  readonly project: string;
  readonly startMs: number;
  endMs?: number;
}

/** One line: seconds from the suite's start to the file's start and end, how long it ran, its project and path. */
export function timelineLine(span: Required<Span>, t0: number): string {
  const s = (ms: number) => ((ms - t0) / 1000).toFixed(0).padStart(5);
  return `${s(span.startMs)} s ${s(span.endMs)} s ${((span.endMs - span.startMs) / 1000).toFixed(0).padStart(5)} s  ${span.project.padEnd(13)} ${span.file}`;
}

/** What the suite did when, in seconds from its start: the global setup, each project's span, each file of at least 10 s. */
export function timeline(spans: readonly Required<Span>[], t0: number): string[] {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  const first = sorted[0];
  if (!first) return [];
  const lines = ['suite timeline (seconds from the start: file start, end, duration):', timelineLine({ file: 'until the first file started', project: 'global setup', startMs: t0, endMs: first.startMs }, t0)];
  for (const project of [...new Set(sorted.map((s) => s.project))]) {
    const mine = sorted.filter((s) => s.project === project);
    const short = mine.filter((s) => s.endMs - s.startMs < LISTED_FROM_MS);
    const span = { file: `${mine.length} files (${short.length} under ${LISTED_FROM_MS / 1000} s)`, project, startMs: mine[0]!.startMs, endMs: Math.max(...mine.map((s) => s.endMs)) };
    lines.push(timelineLine(span, t0));
  }
  for (const span of sorted) if (span.endMs - span.startMs >= LISTED_FROM_MS) lines.push(timelineLine(span, t0));
  return lines;
}

export class TimelineReporter implements Reporter {
  #t0 = Date.now();
  readonly #spans = new Map<string, Span>();

  onInit(): void {
    this.#t0 = Date.now();
  }

  onTestModuleStart(module: TestModule): void {
    this.#spans.set(module.moduleId, { file: path.relative(process.cwd(), module.moduleId), project: module.project.name, startMs: Date.now() });
  }

  onTestModuleEnd(module: TestModule): void {
    const span = this.#spans.get(module.moduleId);
    if (span) span.endMs = Date.now();
  }

  onTestRunEnd(): void {
    const ended = [...this.#spans.values()].filter((s): s is Required<Span> => s.endMs !== undefined);
    const lines = timeline(ended, this.#t0);
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

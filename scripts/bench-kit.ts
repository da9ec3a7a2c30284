// What the benchmark scripts share: their `--runs N` flag and the CPU the processes they ran used.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** `--runs N` (default `defaultRuns`; anything but a whole number >= 1 is exit 2) and every other argument, passed through. */
export function runsAndFlags(script: string, defaultRuns: number): { runs: number; flags: string[] } {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: String(defaultRuns) } }, allowPositionals: true, strict: false });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`${script}: --runs ${values.runs} is not a run count; use a whole number >= 1`);
    process.exit(2);
  }
  return { runs, flags: process.argv.slice(2).filter((a, i, all) => a !== '--runs' && all[i - 1] !== '--runs' && !a.startsWith('--runs=')) };
}

const TICKS_PER_SECOND = 100;

/** CPU seconds of every reaped descendant of this process (children wait for theirs, so the whole tree). */
export function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND; // cutime, cstime
}

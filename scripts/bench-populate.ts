// Benchmark of `firedrill populate --history`: runs it as a child process (default: Piyasa, 7 days;
// extra flags pass through, e.g. thebot --history 1d) with --exit, and prints per run the seconds
// until the history was queryable in the stack's Prometheus and how they split (recording, writing
// and promtool, recording rules), the samples written, and the CPU seconds of every process it
// started; then the median and the worst of the runs, and the machine's load.
// Usage: npm run bench:populate -- [--runs N] [system] [populate flags]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childrenCpuSeconds, runsAndFlags } from './bench-kit.ts';

const { runs, flags: passed } = runsAndFlags('bench:populate', 3);
const flags = passed.length === 0 ? ['piyasa', '--history', '7d'] : passed;

interface Summary {
  populatedSeconds: number;
  history: { samples: number; series: number; segments: number; seconds: { record: number; write: number; rules: number } };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-bench-populate-'));
const populated: number[] = [];
try {
  console.log(`firedrill populate ${flags.join(' ')} --exit, ${runs} run(s); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores`);
  for (let run = 1; run <= runs; run++) {
    const json = path.join(dir, `run-${run}.json`);
    const cpuBefore = childrenCpuSeconds();
    const child = spawnSync(process.execPath, [path.resolve('bin/firedrill.mjs'), 'populate', ...flags, '--exit', '--json', json], { encoding: 'utf8' });
    if (child.status !== 0) {
      console.error(`run ${run}: populate exited ${child.status}:\n${child.stdout}${child.stderr}`);
      process.exit(1);
    }
    const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    const { seconds } = summary.history;
    populated.push(summary.populatedSeconds);
    console.log(
      `run ${run}: history queryable after ${summary.populatedSeconds.toFixed(1)} s (recording ${seconds.record.toFixed(1)} s, writing and promtool ${seconds.write.toFixed(1)} s, recording rules ${seconds.rules.toFixed(1)} s); ` +
        `${summary.history.samples.toLocaleString('en')} samples of ${summary.history.series} series from ${summary.history.segments} segments; CPU ${(childrenCpuSeconds() - cpuBefore).toFixed(1)} s`,
    );
  }
  const sorted = [...populated].sort((a, b) => a - b);
  // With an even number of runs, the median is the mean of the two middle ones.
  const median = (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.floor(sorted.length / 2)]!) / 2;
  console.log(`history queryable: median ${median.toFixed(1)} s, worst ${sorted.at(-1)!.toFixed(1)} s; load after ${os.loadavg()[0]!.toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

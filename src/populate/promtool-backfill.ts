import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FiredrillError } from '../errors.ts';
import { formatDurationMs } from '../duration.ts';

const run = promisify(execFile);

export function promtoolBinary(): string {
  return process.env.PROMTOOL_BIN ?? 'promtool';
}

/**
 * Blocks are aligned to multiples of their duration, and promtool reads its whole input once per
 * block: with the largest of Prometheus' block ranges (2h x 3^6 = 1458h) a week of history is
 * one block, read once, most of the time.
 */
const MAX_BLOCK_DURATION = '1458h';

/** `promtool tsdb create-blocks-from openmetrics`: the file's samples as TSDB blocks in `outDir`. */
export async function backfillOpenMetrics(file: string, outDir: string, signal: AbortSignal): Promise<void> {
  await promtool(['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', `--max-block-duration=${MAX_BLOCK_DURATION}`, file, outDir], signal);
}

/**
 * `promtool tsdb create-blocks-from rules`: each recording rule evaluated over the span against
 * `prometheusUrl` (which must hold the raw history), at `evalIntervalMs`, written as blocks.
 */
export async function backfillRecordingRules(ruleFiles: readonly string[], prometheusUrl: string, fromMs: number, toMs: number, evalIntervalMs: number, outDir: string, signal: AbortSignal): Promise<void> {
  await promtool(
    [
      'tsdb', 'create-blocks-from', 'rules',
      `--url=${prometheusUrl}`,
      `--start=${new Date(fromMs).toISOString()}`,
      `--end=${new Date(toMs).toISOString()}`,
      `--eval-interval=${formatDurationMs(evalIntervalMs)}`,
      `--output-dir=${outDir}`,
      ...ruleFiles,
    ],
    signal,
  );
}

async function promtool(args: readonly string[], signal: AbortSignal): Promise<void> {
  try {
    await run(promtoolBinary(), args, { signal, maxBuffer: 64 << 20 });
  } catch (error) {
    if (signal.aborted) throw error;
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    const said = `${stderr ?? ''}${stdout ?? ''}`.trim().split('\n').slice(-3).join(' / ');
    throw new FiredrillError('ENVIRONMENT', `promtool ${args.slice(0, 3).join(' ')} failed: ${said || message}`);
  }
}

// The commands the suite's global setup runs (gates, and whole drills in containers): each to its
// end or its deadline, its last lines kept for the failure message, every one still running
// stopped when another fails.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { signalTree } from '../src/stack/process-tree.ts';

/** One finished command: how it ended, its pid and the last of its own lines on stderr. */
export interface CommandOutcome {
  readonly code: number;
  readonly pid: number;
  /** firedrill's own lines, without its live progress (`  <drill>  3s/11s ...`), which would push them out. */
  readonly stderrTail: string;
}

/** A gate (or run) and its result JSON. */
export interface GateRun extends CommandOutcome {
  readonly resultFile: string;
}

/** A firedrill run with a temporary directory of its own (`tmp`, its TMPDIR), where its run directories went. */
export interface IsolatedRun extends GateRun {
  readonly tmp: string;
}

export interface CommandOptions {
  readonly cwd?: string;
  /** The command's TMPDIR. */
  readonly tmp?: string;
}

const BIN = path.resolve('bin/firedrill.mjs');

/**
 * How long one command may run: `.ci/run` has 90 minutes, the test files after the setup take
 * about 20 of them, and its commands take about 15 together on a 2-core machine. A command past
 * this hangs (seen once: a gate that had written its result stuck in Node's exit); failing it, with
 * its last lines, leaves the suite time to say so instead of being killed silently at the budget's end.
 */
const COMMAND_DEADLINE_MS = 45 * 60_000;
/** After a command exits, how long its stderr may take to end. */
const PIPE_GRACE_MS = 10_000;
/** After SIGTERM, how long a command gets to stop its stacks before SIGKILL. */
const STOP_GRACE_MS = 60_000;
/** How much of a command's own output a failure message (and a test reading it) gets. */
const TAIL_CHARS = 3000;
const PROGRESS_LINE = /^  \S+  (\d+s\/\d+s|settling)/;

/** The commands still running, each with its end: when one fails, the others are stopped before the suite fails. */
const running = new Map<ChildProcess, Promise<unknown>>();

/** Runs a node command to its end; anything but exit 0 or 1 (a gate verdict), or no end by the deadline, fails the suite with the command's last lines. */
export function run(what: string, args: string[], options: CommandOptions = {}): Promise<CommandOutcome> {
  const startedAt = Date.now();
  const env = options.tmp === undefined ? process.env : { ...process.env, TMPDIR: options.tmp };
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? process.cwd(), env, stdio: ['ignore', 'ignore', 'pipe'] });
  let overdue = false;
  const deadline = setTimeout(() => {
    overdue = true;
    child.kill('SIGTERM');
    // Its whole tree: a gate that will not stop leaves its Prometheus, services and groups otherwise.
    setTimeout(() => child.pid !== undefined && signalTree(child.pid, 'SIGKILL'), STOP_GRACE_MS).unref();
  }, COMMAND_DEADLINE_MS);
  const ended = new Promise<CommandOutcome>((resolve, reject) => {
    let tail = '';
    let partial = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      tail = (tail + lines.filter((line) => !PROGRESS_LINE.test(line)).map((line) => `${line}\n`).join('')).slice(-TAIL_CHARS);
    });
    child.once('error', reject);
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(deadline);
      if (!running.delete(child)) return; // ended already, by 'close' or by 'exit' and the grace
      const last = (tail + (PROGRESS_LINE.test(partial) ? '' : partial)).slice(-TAIL_CHARS);
      // Where the setup's minutes go, in the suite's log (its timeline starts after the setup).
      process.stderr.write(`global setup: ${what} ended (${code ?? signal}) after ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
      if (overdue) reject(new Error(`${what} was still running after ${COMMAND_DEADLINE_MS / 60_000} minutes and was stopped (${code ?? signal}); last output:\n${last}`));
      else if (code === 0 || code === 1) resolve({ code, pid: child.pid!, stderrTail: last });
      else reject(new Error(`${what} exited ${code ?? signal}; last output:\n${last}`));
    };
    child.once('close', end);
    // After 'exit', its last output comes with 'close'; a grandchild that kept the stderr pipe
    // open would hold 'close' back for good, so the end is taken without it after a moment.
    child.once('exit', (code, signal) => setTimeout(() => end(code, signal), PIPE_GRACE_MS).unref());
  });
  running.set(child, ended.catch(() => undefined));
  return ended;
}

/** SIGTERM to every command still running (firedrill stops its stacks and reverts its faults on it), and their ends. */
export async function stopTheRest(): Promise<void> {
  const ends = [...running].map(([child, end]) => (child.kill('SIGTERM'), end));
  await Promise.all(ends);
}

/** `firedrill <args> --json <resultFile>`. */
export async function firedrill(what: string, args: string[], resultFile: string, options: CommandOptions = {}): Promise<GateRun> {
  const outcome = await run(what, [BIN, ...args, '--json', resultFile], options);
  return { ...outcome, resultFile };
}

/** `firedrill gate --engine builtin <flags> --json <resultFile>`. */
export const gate = (what: string, resultFile: string, cwd: string, flags: string[] = []): Promise<GateRun> =>
  firedrill(what, ['gate', '--engine', 'builtin', ...flags], resultFile, { cwd });

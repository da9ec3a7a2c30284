// Runs every gate the suite reads, side by side, each on its own pool of isolated stacks (the
// machine ledger shares the cores between them): the gate on the fixtures as they are; the gate
// on a copy broken by every mutation of piyasa-mutations.ts; and, in the Python example, the
// gate as its reader runs it, the same gate in three shards merged into one result, and the gate
// on a copy with one alert broken. Then every drill of the fixtures on the containers stack. Test files read the results through `inject` (see shared-gates.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { signalTree } from '../src/stack/process-tree.ts';
import { brokenPythonShop, PYTHON_SHOP } from './python-shop-project.ts';

/** One finished command: how it ended and the last of what it wrote to stderr. */
export interface CommandOutcome {
  readonly code: number;
  readonly stderrTail: string;
}

/** A gate run's result JSON and how the command ended. */
export interface GateRun extends CommandOutcome {
  readonly resultFile: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    gateResultFile: string;
    gateHtmlFile: string;
    /** The exit code and JUnit file of the gate on the fixtures: `.ci/run`'s gate (it runs no other). */
    fixturesGate: GateRun & { readonly junitFile: string };
    mutationGateResultFile: string;
    pythonGate: GateRun;
    pythonBrokenGate: GateRun;
    pythonShardGates: GateRun[];
    containersGateRun: GateRun;
    mergedGateResultFile: string;
    mergedJUnitFile: string;
  }
}

const BIN = path.resolve('bin/firedrill.mjs');

/** The commands still running, each with its end: when one fails, the others are stopped before the suite fails. */
const running = new Map<ChildProcess, Promise<unknown>>();

/**
 * How long one command may run: `.ci/run` has 90 minutes, the test files after the setup take
 * about 30 of them, and its gates take about 15 together on a 2-core machine. A command past this
 * hangs (seen once: a gate that had written its result stuck in Node's exit); failing it, with its
 * last lines, leaves the suite time to say so instead of being killed silently at the budget's end.
 */
const COMMAND_DEADLINE_MS = 45 * 60_000;
/** After a command exits, how long its stderr may take to end. */
const PIPE_GRACE_MS = 10_000;
/** After SIGTERM, how long a command gets to stop its stacks before SIGKILL. */
const STOP_GRACE_MS = 60_000;

/** Runs a command to its end; anything but exit 0 or 1 (a gate verdict), or no end by the deadline, fails the suite with the command's last lines. */
function run(what: string, args: string[], cwd = process.cwd()): Promise<CommandOutcome> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let overdue = false;
  const deadline = setTimeout(() => {
    overdue = true;
    child.kill('SIGTERM');
    // Its whole tree: a gate that will not stop leaves its Prometheus, services and groups otherwise.
    setTimeout(() => child.pid !== undefined && signalTree(child.pid, 'SIGKILL'), STOP_GRACE_MS).unref();
  }, COMMAND_DEADLINE_MS);
  const ended = new Promise<CommandOutcome>((resolve, reject) => {
    let tail = '';
    child.stderr!.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-3000)));
    child.once('error', reject);
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(deadline);
      if (!running.delete(child)) return; // ended already, by 'close' or by 'exit' and the grace
      // Where the setup's minutes go, in the suite's log (its timeline starts after the setup).
      process.stderr.write(`global setup: ${what} ended (${code ?? signal}) after ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
      if (overdue) reject(new Error(`${what} was still running after ${COMMAND_DEADLINE_MS / 60_000} minutes and was stopped (${code ?? signal}); last output:\n${tail}`));
      else if (code === 0 || code === 1) resolve({ code, stderrTail: tail });
      else reject(new Error(`${what} exited ${code ?? signal}; last output:\n${tail}`));
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
async function stopTheRest(): Promise<void> {
  const ends = [...running].map(([child, end]) => (child.kill('SIGTERM'), end));
  await Promise.all(ends);
}

async function gate(what: string, resultFile: string, cwd: string, flags: string[] = []): Promise<GateRun> {
  const outcome = await run(what, [BIN, 'gate', '--engine', 'builtin', ...flags, '--json', resultFile], cwd);
  return { ...outcome, resultFile };
}

export default async function setup(project: TestProject): Promise<() => void> {
  // For working on a file that reads no gate result: `FIREDRILL_VERIFY_GATES=skip npx vitest run verify/x.test.ts`.
  if (process.env.FIREDRILL_VERIFY_GATES === 'skip') return () => undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-verify-'));
  const broken = brokenPythonShop();
  const cleanUp = () => {
    rmSync(dir, { recursive: true, force: true });
    broken.remove();
  };
  try {
    const file = (name: string) => path.join(dir, name);
    const shardFiles = [1, 2, 3].map((i) => file(`python-shard-${i}.json`));
    const [fixturesGate, , pythonGate, pythonBrokenGate, pythonShardGates] = await Promise.all([
      gate('firedrill gate', file('gate.json'), process.cwd(), ['--html', file('gate.html'), '--junit', file('gate.xml')]),
      run('the mutation gate', ['--import', 'tsx', 'scripts/mutation-gate.ts', '--combined', '--json', file('mutation-gate.json')]),
      gate('firedrill gate (Python example)', file('python-gate.json'), PYTHON_SHOP),
      gate('firedrill gate (Python example, ShopSlow broken)', file('python-broken-gate.json'), broken.dir),
      Promise.all(shardFiles.map((json, i) => gate(`firedrill gate --shard ${i + 1}/3 (Python example)`, json, PYTHON_SHOP, ['--shard', `${i + 1}/3`]))),
    ]);
    // Every drill again, wholly in containers (provider-parity.test.ts), after the others: a
    // containers stack's docker-compose and docker calls are CPU the machine ledger does not see
    // (seen in CI beside the gates above: load 20, THE_BOT's healthy p95 above 1 s).
    const containersGateRun = await gate('firedrill gate --stack containers', file('containers-gate.json'), process.cwd(), ['--stack', 'containers']);
    await run('firedrill merge', [BIN, 'merge', ...shardFiles, '--json', file('merged.json'), '--junit', file('merged.xml')], PYTHON_SHOP);
    project.provide('gateResultFile', file('gate.json'));
    project.provide('gateHtmlFile', file('gate.html'));
    project.provide('fixturesGate', { ...fixturesGate, junitFile: file('gate.xml') });
    project.provide('mutationGateResultFile', file('mutation-gate.json'));
    project.provide('pythonGate', pythonGate);
    project.provide('pythonBrokenGate', pythonBrokenGate);
    project.provide('pythonShardGates', pythonShardGates);
    project.provide('containersGateRun', containersGateRun);
    project.provide('mergedGateResultFile', file('merged.json'));
    project.provide('mergedJUnitFile', file('merged.xml'));
  } catch (error) {
    await stopTheRest();
    cleanUp();
    throw error;
  }
  return cleanUp;
}

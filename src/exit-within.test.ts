import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MODULE = new URL('./exit-within.ts', import.meta.url).href;
const childArgs = (body: string) => ['--import', 'tsx', '--input-type=module', '-e', `import { exitWithin } from '${MODULE}';\n${body}`];

/** Runs `body` (ES module code, `exitWithin` imported) in a process of its own: how it ended, what it wrote to stderr, and its pid. */
function runExiting(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; pid: number }> {
  const child = spawn(process.execPath, childArgs(body), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close': stderr is shared with the watchdog, so this also waits for the watchdog to end.
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr, pid: child.pid! })));
}

/** Whether a watchdog of process `pid` still runs (its shell's arguments name it and the pid). */
function watchdogOf(pid: number): boolean {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .some((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`firedrill-exit-watchdog\0${pid}\0`);
      } catch {
        return false;
      }
    });
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('exitWithin', () => {
  it('exits with the code given, saying nothing, its watchdog gone with it', async () => {
    const ended = await runExiting('exitWithin(3, 5_000);');
    expect([ended.code, ended.signal, ended.stderr]).toEqual([3, null, '']);
    expect(watchdogOf(ended.pid)).toBe(false);
    // With no code given, the one the command set (a gate that failed: 1).
    expect((await runExiting('process.exitCode = 7;\nexitWithin(undefined, 5_000);')).code).toBe(7);
    expect((await runExiting('process.exitCode = 7;\nexitWithin();')).code).toBe(7);
  });

  it('kills a process whose exit does not end within the budget, saying so and which code it was to exit with', async () => {
    // Node's own stuck teardown cannot be caused on demand: an exit that runs its 'exit' listeners
    // (the watchdog's among them) and then never ends stands in for it.
    const ended = await runExiting(`process.exit = (code) => { process.emit('exit', code); for (;;); };\nexitWithin(5, 500);`);
    expect(ended.signal).toBe('SIGKILL');
    expect(ended.stderr).toContain('did not finish exiting within 0.5 s');
    expect(ended.stderr).toContain('exit code was to be 5');
  });

  it('counts from when the exit\'s own cleanups are done, not from when it was asked for', async () => {
    // A cleanup (an 'exit' listener: containers removed, directories deleted) that takes twice the budget.
    const ended = await runExiting(`process.on('exit', () => { const end = Date.now() + 1_000; while (Date.now() < end); });\nexitWithin(4, 500);`);
    expect([ended.code, ended.signal, ended.stderr]).toEqual([4, null, '']);
  });

  it.skipIf(!hasPython)('lets a parent that reads the output to its end before collecting the process (Python\'s subprocess.run) have it at once, with no kill', () => {
    const script = `import subprocess, sys, time\nt = time.time()\nr = subprocess.run(sys.argv[1:], capture_output=True)\nprint(r.returncode, round(time.time() - t, 3), repr(r.stderr.decode()))`;
    const out = spawnSync('python3', ['-c', script, process.execPath, ...childArgs('exitWithin(6, 3_000);')], { encoding: 'utf8' });
    const [code, seconds, stderr] = out.stdout.trim().split(' ');
    expect([code, stderr]).toEqual(['6', "''"]);
    expect(Number(seconds)).toBeLessThan(3); // not the watchdog's budget: it saw the process exited
  });
});

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MODULE = new URL('./exit-within.ts', import.meta.url).href;

/** Runs `body` (ES module code, `exitWithin` imported) in a process of its own: how it ended and what it wrote to stderr. */
function runExiting(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { exitWithin } from '${MODULE}';\n${body}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close': stderr is shared with the watchdog, so this also waits for the watchdog to end.
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - started })));
}

/** The watchdog processes still running (their shell's $0 names them). */
function watchdogsRunning(): number {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('firedrill-exit-watchdog');
    } catch {
      return false;
    }
  }).length;
}

describe('exitWithin', () => {
  it('exits with the code given, saying nothing, and its watchdog ends with the process', async () => {
    const before = watchdogsRunning();
    const ended = await runExiting('exitWithin(3, 5_000);');
    expect([ended.code, ended.signal, ended.stderr]).toEqual([3, null, '']);
    expect(watchdogsRunning()).toBe(before);
  });

  it('kills a process whose exit does not end within the budget, saying why and which code it was to exit with', async () => {
    // Node's own stuck teardown cannot be caused on demand: an exit that never returns stands in for it.
    const ended = await runExiting('process.exit = () => { for (;;); };\nexitWithin(5, 500);');
    expect(ended.signal).toBe('SIGKILL');
    expect(ended.stderr).toContain('did not finish tearing down a worker thread within 0.5 s');
    expect(ended.stderr).toContain('exit code was to be 5');
  });
});

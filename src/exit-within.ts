import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** A healthy exit joins its worker threads (tsx's loader thread) in milliseconds; this is for a stuck one. */
const EXIT_BUDGET_MS = 10_000;

// Run by /bin/sh with the pid, its start time (field 22 of /proc/<pid>/stat, read by the process
// itself, so that a pid taken by another process is never killed), the number of 100 ms ticks to
// wait and the message. It ends as soon as the process is gone, or has exited and only waits for
// its parent to collect it (a parent reading its output to the end first, as Python's
// subprocess.run does, would otherwise wait for the watchdog, which holds that output open).
const WATCHDOG = `
i=0
while :; do
  s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1,20)
  case "$s" in ''|Z\\ *|X\\ *) exit 0;; esac
  [ "\${s#* }" = "$2" ] || exit 0
  i=$((i + 1))
  if [ "$i" -gt "$3" ]; then printf '%s\\n' "$4" >&2; kill -9 "$1"; exit 0; fi
  sleep 0.1
done
`;

/**
 * process.exit(code), bounded: Node.js joins every worker thread as the process exits, and a
 * worker's teardown was seen spinning at full CPU forever (gdb: the worker in
 * Environment::CleanupHandles, the main thread joining it), long after the gate had written its
 * result, which would hang a CI job until its own timeout. That worker was firedrill's proxy
 * thread; firedrill's helpers are processes since (helper-process.ts), and the one worker left to
 * join is tsx's loader thread, so this is a guard, no longer a cure. Once the exit's own cleanups have run
 * (the last 'exit' listener), a watchdog process outside this one (a thread of this one would be
 * joined too) kills it if it is still there `budgetMs` later, saying so and what its exit code was
 * to be; the code itself is then lost (killed by SIGKILL: 137 in a shell).
 */
export function exitWithin(code?: number, budgetMs = EXIT_BUDGET_MS): never {
  // Only a real exit arms it: a test runner that replaces process.exit never gets here.
  if (isMainThread) process.once('exit', (finalCode) => startWatchdog(finalCode, budgetMs));
  // Not process.exit(undefined): Node 20 takes an argument given as undefined for the code, and exits 0.
  return code === undefined ? process.exit() : process.exit(code);
}

function startWatchdog(code: number, budgetMs: number): void {
  let started: string | undefined;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    started = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19];
  } catch {
    return; // no procfs: exit unwatched, as before
  }
  if (!started) return;
  const message = `firedrill: the process did not finish exiting within ${budgetMs / 1000} s (Node.js's teardown of a worker thread was seen hanging there); killed it, whose exit code was to be ${code}: what it printed above stands`;
  try {
    spawn('/bin/sh', ['-c', WATCHDOG, 'firedrill-exit-watchdog', String(process.pid), started, String(Math.ceil(budgetMs / 100)), message], {
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
    }).unref();
  } catch {
    // no shell to watch with: exit unwatched, as before
  }
}

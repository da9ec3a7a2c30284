import { spawn } from 'node:child_process';

/** A healthy exit joins firedrill's helper threads in milliseconds; this is for a stuck one. */
export const EXIT_BUDGET_MS = 10_000;

// Run by /bin/sh with the pid, its start time (field 22 of /proc/<pid>/stat, so that a pid taken
// by another process after ours ended is never killed), the number of 100 ms ticks to wait and the
// message. It ends as soon as the process is gone.
const WATCHDOG = `
start_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
started=$(start_of "$1")
[ -n "$started" ] || exit 0
i=0
while [ "$(start_of "$1")" = "$started" ]; do
  i=$((i + 1))
  if [ "$i" -gt "$2" ]; then echo "$3" >&2; kill -9 "$1"; exit 0; fi
  sleep 0.1
done
`;

/**
 * process.exit(code), bounded: Node.js joins every worker thread as the process exits, and a
 * helper thread's teardown was seen spinning at full CPU forever (gdb: the worker in
 * Environment::CleanupHandles, the main thread joining it), long after the gate had written its
 * result, which would hang a CI job until its own timeout. So a watchdog process outside this one
 * (a thread of this one would be joined too) kills it if it is still there `budgetMs` later,
 * saying why and what its exit code was meant to be; the code itself is then lost (137).
 */
export function exitWithin(code: number | undefined = undefined, budgetMs = EXIT_BUDGET_MS): never {
  const meant = code ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
  const message = `firedrill: Node.js did not finish tearing down a worker thread within ${budgetMs / 1000} s of exiting (a hang in its own teardown); killed the process, whose exit code was to be ${meant}: what it printed above stands`;
  try {
    spawn('/bin/sh', ['-c', WATCHDOG, 'firedrill-exit-watchdog', String(process.pid), String(Math.ceil(budgetMs / 100)), message], {
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
    }).unref();
  } catch {
    // no shell to watch with: exit unwatched, as before
  }
  return process.exit(meant);
}

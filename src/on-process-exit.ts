// What a process still holds (children, run directories, containers, mounts, machine shares) must go
// on every exit path, a crash and a second Ctrl-C included. Node's 'exit' event is the one place
// every path passes, and its listeners must be synchronous.

const cleanups = new Set<() => void>();
let hooked = false;

/**
 * Runs `cleanup` synchronously when this process exits, however it exits; registering the same
 * function again does nothing. One 'exit' listener serves every module (a test process opens
 * dozens of ledgers and stacks, and Node warns past ten listeners). Cleanups run in the order
 * first registered, and one that throws does not stop the others.
 */
export function onProcessExit(cleanup: () => void): void {
  cleanups.add(cleanup);
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const run of cleanups) {
      try {
        run();
      } catch {
        // Nothing more can be done while exiting; the next cleanup may still succeed.
      }
    }
  });
}

#!/usr/bin/env node
// Loads the CLI (bundled from src/, see cli-bundle.mjs), then registers tsx for what the CLI
// imports later: the user's firedrill.config.ts and scenarios. Both hooks: in a CommonJS project
// (npm's default) the user's firedrill.config.ts is a CommonJS module. Modules loaded before the
// hooks (the CLI and its packages) never pass through them.
import { readdirSync, readFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { cliBundle } from './cli-bundle.mjs';

const bundle = await cliBundle();
// A bundle removed meanwhile (another command rebuilt it after a source change) loads from src/ too.
const fromBundle = bundle === undefined ? undefined : await import(bundle).catch(() => undefined);
registerTsx();
const { main, exitWithin } = fromBundle ?? (await import('../src/cli/main.ts'));
// Once everything a command started has been stopped (the event loop drained), exit at once:
// Node's own teardown after a natural exit was seen spinning at full CPU forever
// (Environment::CleanupHandles, after a gate had written its result), which would hang a CI job.
// 'beforeExit' comes only when nothing is pending, so no stop, removal or write is cut short.
// The exit itself is bounded (exit-within.ts): a worker thread's teardown was seen spinning there too
// (firedrill's helpers were threads then; they are processes now, killed at exit: helper-process.ts).
process.once('beforeExit', () => {
  stopTranspilers();
  exitWithin();
});

/**
 * process.exit() waits for every worker thread to tear down (tsx's loader thread among them), and
 * a thread's teardown was once seen spinning forever (gdb: the main thread in Worker::JoinThread,
 * the worker in CleanupHandles) with only its pipes to an esbuild service left open. firedrill's
 * own helpers are processes, with no loader (helper-process.ts), so the one thread left to join is
 * tsx's; the esbuild services
 * left (tsx's, and the bundler's) are stopped here, as nothing is imported or bundled any more at
 * exit: their pipes close, and nothing is left for a teardown to wait on.
 */
function stopTranspilers() {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return; // no procfs: nothing to find them by
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read from its closing parenthesis
      const [comm, rest] = [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), stat.slice(stat.lastIndexOf(')') + 2)];
      if (comm === 'esbuild' && Number(rest.split(' ')[1]) === process.pid) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
await main(process.argv);

/** After the CLI, unless no bundle could be built, kept or loaded (a read-only install): then src/ loads through it. */
function registerTsx() {
  register();
  registerCommonJs();
}

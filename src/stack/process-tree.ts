import { readdirSync, readFileSync } from 'node:fs';

/**
 * The process and every descendant, parents first, read from /proc. A fault on "the database" must
 * reach PostgreSQL's backends, not only the postmaster, and a service started through a wrapper
 * (`npm start`, a shell script) must take its real server down with it.
 */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const child of childrenOf(p)) visit(child);
  };
  visit(pid);
  return out;
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/** Sends `signal` to the process and all its descendants, collected before any is signalled (a dead parent's children are re-parented and lost to /proc). */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** Whether a process runs (signal 0); EPERM means it runs as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

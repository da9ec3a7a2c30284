import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onProcessExit } from '../on-process-exit.ts';
import { processAlive, processTree } from './process-tree.ts';

// A part of the system under test weighs on this machine's CPU as one process, as it would in a
// container or on a host of its own. Without it, a part made of many processes crowds out the rest
// whenever they all want the CPU at once: a drill that stopped PostgreSQL with 52 pooled
// connections had 52 backends exit together, 1.3 CPU-seconds of exit work in 0.7 s on two cores,
// and every other part waited its turn among them. The backend's scrapes ran out their 250 ms
// timeout, which at scale 40 is 28 s of rule time: `up == 0` long enough to fire a "service down"
// alert that production, with its database on another host, would never see. In a CPU cgroup of
// its own (equal shares) the database's exiting backends compete as one: the shutdown takes a
// little longer and nothing else waits.

/** A CPU cgroup holding one part's processes. */
export interface CpuGroup {
  /** Moves a process (all its threads) into the group; a process already gone is no error. */
  join(pid: number): void;
  /** Moves the process and every descendant it has now: those forked before `join` stayed behind. */
  gather(pid: number): void;
  /**
   * The part is gone: what is left in its group (orphans of a killed server, a wrapper's
   * re-parented children) is killed, and the group removed once they have exited, retried for a
   * while and once more as firedrill exits. One that still cannot go is removed by the next run.
   */
  remove(): void;
}

/** Where groups go: a directory of the `cpu` controller's hierarchy that this process may create groups in. */
export interface CpuHierarchy {
  readonly dir: string;
}

const GROUP_NAME = /^firedrill-(\d+)-\d+$/;
const REMOVE_RETRY_MS = 100;
const REMOVE_RETRIES = 100;

/**
 * The `cpu` hierarchy for this process's groups, or undefined where it cannot have them (not Linux,
 * not root, a cgroup v2 tree that does not delegate `cpu` here): parts then run as plain processes.
 * cgroup v1: the `cpu` controller's mount, at this process's own place in it. cgroup v2: the root,
 * when `cpu` is enabled for its children (a non-root group holding processes cannot give its
 * children controllers).
 */
export function findCpuHierarchy(sysfs = '/sys/fs/cgroup', selfCgroup = readSelfCgroup()): CpuHierarchy | undefined {
  const v1 = path.join(sysfs, 'cpu');
  const ownV1 = /^\d+:(?:[^:]*,)?cpu(?:,[^:]*)?:(.*)$/m.exec(selfCgroup)?.[1];
  // Inside a container, /proc/self/cgroup may name a path of the host's tree: the mount's root then.
  if (existsSync(path.join(v1, 'cpu.shares'))) return writable(path.join(v1, ownV1 ?? '/')) ?? writable(v1);
  const controllers = readOr(path.join(sysfs, 'cgroup.subtree_control'));
  const ownV2 = /^0::(.*)$/m.exec(selfCgroup)?.[1];
  if (controllers?.split(/\s+/).includes('cpu') && ownV2 === '/') return writable(sysfs);
  return undefined;
}

let sequence = 0;
let hierarchy: { found: CpuHierarchy | undefined } | undefined;
/** Each group not yet removed, by directory: at exit its processes are killed and it is removed. */
const live = new Map<string, () => boolean>();

/**
 * A new group for one part, or undefined where groups cannot be made (the part then runs
 * ungrouped). Make it before spawning the part, and `join` the new process at once.
 */
export function newCpuGroup(within: CpuHierarchy | undefined = defaultHierarchy()): CpuGroup | undefined {
  if (!within) return undefined;
  const dir = makeGroupDir(within);
  if (!dir) return undefined;
  const procs = path.join(dir, 'cgroup.procs');
  const join = (pid: number) => {
    try {
      writeFileSync(procs, String(pid));
    } catch {
      // gone already, or a kernel thread: nothing to weigh
    }
  };
  const tryRemove = (): boolean => {
    killMembers(procs);
    try {
      rmdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
    live.delete(dir);
    return true;
  };
  live.set(dir, tryRemove);
  onProcessExit(removeAllNow);
  let removing = false;
  return {
    join,
    gather: (pid) => processTree(pid).forEach(join),
    remove: () => {
      if (removing) return;
      removing = true;
      if (tryRemove()) return;
      let tries = 0;
      const retry = setInterval(() => {
        tries += 1;
        if (tryRemove() || tries >= REMOVE_RETRIES) clearInterval(retry);
      }, REMOVE_RETRY_MS);
      retry.unref();
    },
  };
}

/**
 * A new group directory, `firedrill-<pid>-<n>`. A directory of that name may be left by an earlier
 * process that had the same pid (pids repeat in a container): an empty one is removed and made
 * again, a busy one skipped for the next number.
 */
function makeGroupDir(within: CpuHierarchy): string | undefined {
  for (let attempt = 0; attempt < 5; attempt++) {
    sequence += 1;
    const dir = path.join(within.dir, `firedrill-${process.pid}-${sequence}`);
    if (tryMkdir(dir)) return dir;
  }
  return undefined;
}

function tryMkdir(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    rmdirSync(dir);
    mkdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL to every process the group lists. */
function killMembers(procs: string): void {
  const listed = readOr(procs);
  for (const pid of listed?.split('\n').filter(Boolean).map(Number) ?? []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

/** How long firedrill, exiting, waits for the processes it killed to leave their groups. */
const EXIT_REMOVE_MS = 500;

/** At exit, however it comes: kill what every group still holds and remove the groups, waiting a moment for the kills to land. */
function removeAllNow(): void {
  const deadline = Date.now() + EXIT_REMOVE_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (live.size > 0) {
    for (const tryRemove of [...live.values()]) tryRemove();
    if (live.size === 0 || Date.now() >= deadline) return;
    Atomics.wait(pause, 0, 0, 10); // a synchronous sleep: an exit hook cannot await
  }
}

/**
 * Removes the empty groups of firedrill processes that are gone (killed before they could remove
 * theirs). A group still holding processes stays: they are someone's.
 */
export function removeStaleGroups(within: CpuHierarchy): void {
  let names: string[];
  try {
    names = readdirSync(within.dir);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = GROUP_NAME.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || processAlive(Number(owner))) continue;
    try {
      rmdirSync(path.join(within.dir, name));
    } catch {
      // not empty, or not ours to remove
    }
  }
}

function defaultHierarchy(): CpuHierarchy | undefined {
  if (!hierarchy) {
    const found = process.platform === 'linux' ? findCpuHierarchy() : undefined;
    if (found) removeStaleGroups(found);
    hierarchy = { found };
  }
  return hierarchy.found;
}

/** The directory, when a group can be made in it (made and removed again to find out). */
function writable(dir: string): CpuHierarchy | undefined {
  const probe = path.join(dir, `firedrill-${process.pid}-0`);
  if (!tryMkdir(probe)) return undefined;
  try {
    rmdirSync(probe);
  } catch {
    // an empty directory of ours: gone with the stale ones at the next run
  }
  return { dir };
}

function readSelfCgroup(): string {
  return readOr('/proc/self/cgroup') ?? '';
}

function readOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

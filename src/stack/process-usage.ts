import { readdirSync, readFileSync } from 'node:fs';
import { processTree } from './process-tree.ts';

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) and RSS in 4 KiB pages on x86-64 and arm64. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface ProcessUsage {
  /** User plus system CPU seconds since each process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
}

/**
 * CPU time and resident memory of running processes and all their descendants (a PostgreSQL's
 * backends do its work), from /proc, with the CPU of children that already ended; a pid that is
 * gone counts as zero.
 */
export function usageOf(pids: readonly number[]): ProcessUsage {
  let ticks = 0;
  let pages = 0;
  for (const pid of new Set(pids.flatMap((p) => processTree(p)))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, and cutime, cstime: children that ended and were waited for (a closed connection's backend).
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    pages += Number(fields[21]); // rss
  }
  return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: pages * PAGE_BYTES };
}

/** Programs of the Docker engine whose CPU a containers stack causes: the daemons, and a shim per container. */
const ENGINE_PROGRAMS = /^(dockerd|containerd|containerd-shim.*)$/;

/**
 * CPU seconds spent outside a run's measured processes: this process's children that ended
 * (docker-compose and docker CLI calls, but also every process a stack started, once it stopped)
 * and the Docker engine's daemons and shims. Read at the start and the end of a run, the
 * difference is what it cost.
 */
export function sideCpuSeconds(): number {
  const ticksOf = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { own: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14]) };
  };
  let ticks = ticksOf(readFileSync('/proc/self/stat', 'utf8')).children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!ENGINE_PROGRAMS.test(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) continue;
      ticks += ticksOf(readFileSync(`/proc/${entry}/stat`, 'utf8')).own;
    } catch {
      // gone meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

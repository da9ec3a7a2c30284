import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { processTree } from './process-tree.ts';

/**
 * Which process listens on a TCP port of this machine, from /proc: the socket's inode in
 * /proc/net/tcp(6), then the process holding it among `candidates`. Lets a stack prove that
 * the answer on a port comes from the process it started, not from another run's.
 */
export function listenerInodes(port: number): Set<string> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** True when the listener on `port` is `pid` or one of its descendants (a wrapper such as `npm start` may fork). */
export function listensOn(port: number, pid: number): boolean {
  const inodes = listenerInodes(port);
  if (inodes.size === 0) return false;
  // Usually the process itself listens: only then walk its tree.
  return holdsSocket(pid, inodes) || processTree(pid).slice(1).some((member) => holdsSocket(member, inodes));
}

function holdsSocket(pid: number, inodes: ReadonlySet<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

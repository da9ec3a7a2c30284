import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { badInput } from '../errors.ts';

/** Kernel file systems: writing a result there hangs or fails, never stores it. */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Checks, before anything starts, that a result file can be written where a flag says: not into
 * a pseudo file system, not onto a directory, and into a directory that exists (or can be
 * created under one that exists) and is writable. Nothing is written here.
 */
export function checkWritable(file: string, flag: string): void {
  const absolute = path.resolve(file);
  const where = `${flag} ${file}`;
  if (PSEUDO_FILESYSTEMS.some((root) => absolute === root || absolute.startsWith(`${root}/`))) {
    throw badInput(`${where}: ${absolute.split('/')[1] ? `/${absolute.split('/')[1]}` : absolute} is a kernel file system, not a place for a result file; name a file in your project`);
  }
  if (existsSync(absolute)) {
    if (statSync(absolute).isDirectory()) throw badInput(`${where}: is a directory; name a file, e.g. ${path.join(file, 'result.json')}`);
    if (!canWrite(absolute)) throw badInput(`${where}: the file is not writable; fix its permissions or name another file`);
    return;
  }
  let dir = path.dirname(absolute);
  while (!existsSync(dir)) dir = path.dirname(dir);
  if (!statSync(dir).isDirectory()) throw badInput(`${where}: ${dir} is a file, so nothing can be created under it`);
  if (!canWrite(dir)) throw badInput(`${where}: cannot write into ${dir}; name a file in a directory you can write to`);
}

function canWrite(target: string): boolean {
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A default result path unique to this run, so that runs side by side never overwrite each other's. */
export function uniqueResultPath(kind: 'run' | 'gate' | 'merged', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join('.firedrill', 'results', `${kind}-${stamp}-${process.pid}.json`);
}

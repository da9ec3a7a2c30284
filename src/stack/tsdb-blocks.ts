import { cpSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';

/**
 * Moves the TSDB blocks (directories with a meta.json) of `from` into a Prometheus storage
 * directory; a copy where `storage` is on another file system (the source is removed by its owner).
 */
export function moveBlocks(from: string, storage: string): void {
  mkdirSync(storage, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (!existsSync(path.join(from, entry, 'meta.json'))) continue;
    try {
      renameSync(path.join(from, entry), path.join(storage, entry));
    } catch {
      cpSync(path.join(from, entry), path.join(storage, entry), { recursive: true }); // EXDEV
    }
  }
}

import { mkdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Directories of empty files that several processes write into and the last one out removes: the
// machine ledger's claims and marks (machine-budget.ts), the runs present (run-presence.ts).

/**
 * The last file out removes the directory outside any lock, so it can vanish between creating it
 * and writing a file into it: create it again. Once the file is written the directory is not
 * empty, and no release can remove it.
 */
export function writeClaimFile(dir: string, name: string, mode?: number): void {
  for (;;) {
    try {
      // mkdir too: a recursive mkdir that finds the directory checks it with a stat, which fails
      // when a release removed it in between (seen under heavy load: ENOENT from the mkdir).
      mkdirSync(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
      writeFileSync(path.join(dir, name), '');
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty, or gone already
  }
}

export function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

import { renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

/**
 * Replaces `path` with `text` in one step: a reader (node_exporter mid-scrape) opens either the
 * old file or the new one, never a half-written one. The temp file sits beside the target so the
 * rename stays within one filesystem. Synchronous, for a tmpfs: a simulated host rewrites its
 * files ten times a second, and the same few hundred bytes written through the thread pool cost
 * about ten times the CPU (promises, thread hand-offs) of the system calls made here directly.
 * On a disk, use `writeAtomicallyAside`: a write there can wait a second behind other writers.
 */
export function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/**
 * `writeAtomically` through Node's thread pool: on a disk busy with other writers, the kernel can
 * hold a write back for a second (seen: 1.04 s beside a large `dd`), and here that wait stalls a
 * pool thread instead of the drill's traffic, pollers and fault timers.
 */
export async function writeAtomicallyAside(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

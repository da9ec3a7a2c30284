import { renameSync, writeFileSync } from 'node:fs';

/**
 * Replaces `path` with `text` in one step: a reader (node_exporter mid-scrape) opens either the
 * old file or the new one, never a half-written one. The temp file sits beside the target so the
 * rename stays within one filesystem. Synchronous on purpose: a simulated host rewrites its files
 * ten times a second, and the same few hundred bytes written through the thread pool cost about
 * ten times the CPU (promises, thread hand-offs) of the three system calls made here directly.
 */
export function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

import { rename, writeFile } from 'node:fs/promises';

/**
 * Replaces `path` with `text` in one step: a reader (node_exporter mid-scrape) opens either the
 * old file or the new one, never a half-written one. The temp file sits beside the target so the
 * rename stays within one filesystem.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

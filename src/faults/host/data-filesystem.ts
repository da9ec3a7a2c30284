import { open, stat, statfs, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { TmpfsMount } from './tmpfs-mount.ts';

const FILL_FILE = 'fill';
const CHUNK = Buffer.alloc(1024 * 1024);

/**
 * A small real filesystem (a size-limited tmpfs) for node_exporter to statfs, so a disk-space
 * alert reads real numbers without filling the machine's disk. Fullness is one file of zeros:
 * tmpfs allocates a page for every page written, so its size moves the free blocks exactly.
 */
export class DataFilesystem {
  #fillBytes = 0;
  /** Block size and count: fixed by the mount's size, read once rather than on every tick. */
  #geometry: { bsize: number; blocks: number } | undefined;

  readonly #tmpfs: TmpfsMount;

  private constructor(tmpfs: TmpfsMount) {
    this.#tmpfs = tmpfs;
  }

  get path(): string {
    return this.#tmpfs.path;
  }

  /** Mounts a tmpfs of `sizeBytes` at `path` (created if missing); needs root (CAP_SYS_ADMIN). */
  static async mount(path: string, sizeBytes: number): Promise<DataFilesystem> {
    return new DataFilesystem(await TmpfsMount.mount(path, sizeBytes));
  }

  /** Grows or shrinks the fill file so `percent` of the filesystem's blocks are in use. */
  async fillTo(percent: number): Promise<void> {
    const { bsize, blocks } = (this.#geometry ??= await statfs(this.path));
    const target = Math.round((percent / 100) * blocks) * bsize;
    if (target === this.#fillBytes) return;
    const file = join(this.path, FILL_FILE);
    if (target < this.#fillBytes) {
      await truncate(file, target);
    } else {
      // Zeros written, not a sparse truncate: a hole takes no blocks and statfs would not see it.
      const handle = await open(file, 'a');
      try {
        let size = (await handle.stat()).size;
        while (size < target) {
          const { bytesWritten } = await handle.write(CHUNK, 0, Math.min(CHUNK.length, target - size));
          size += bytesWritten;
        }
      } finally {
        await handle.close();
      }
    }
    this.#fillBytes = (await stat(file)).size;
  }

  /** Unmounts; safe to call again. A busy mount is detached lazily rather than left behind. */
  unmount(): Promise<void> {
    return this.#tmpfs.unmount();
  }
}

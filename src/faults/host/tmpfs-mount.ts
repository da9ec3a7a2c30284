import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { FiredrillError } from '../../errors.ts';
import { onProcessExit } from '../../on-process-exit.ts';
import { processAlive } from '../../stack/process-tree.ts';

const run = promisify(execFile);

/** The source name of every tmpfs firedrill mounts, with the pid of the run that mounted it (`firedrill-host:<pid>`). */
export const MOUNT_SOURCE = 'firedrill-host';
export const mountSource = (pid = process.pid) => `${MOUNT_SOURCE}:${pid}`;
/** The pid in a source that `mountSource` wrote; undefined for any other mount. */
const mountSourcePid = (source: string): number | undefined => {
  const [name, pid, ...more] = source.split(':');
  return name === MOUNT_SOURCE && more.length === 0 && /^\d+$/.test(pid ?? '') ? Number(pid) : undefined;
};

/** Mounted and not yet unmounted by this process: the exit hook's list. */
const mounted = new Set<string>();

/**
 * A size-limited tmpfs a simulated host mounted, unmounted on stop, on any exit of this process,
 * or by the next run's sweep when this one was killed outright.
 */
export class TmpfsMount {
  #unmounted = false;

  private constructor(readonly path: string) {}

  /** Mounts a tmpfs of `sizeBytes` at `path` (created if missing); needs root (CAP_SYS_ADMIN). */
  static async mount(path: string, sizeBytes: number): Promise<TmpfsMount> {
    sweepStaleMounts();
    await mkdir(path, { recursive: true });
    if (isMountPoint(path)) throw new FiredrillError('ENVIRONMENT', `${path} is already a mount point; unmount it (umount ${path}) or give the simulated host a fresh directory`);
    try {
      await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, mountSource(), path]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FiredrillError('ENVIRONMENT', `could not mount a tmpfs at ${path}: no mount command on PATH; install util-linux`);
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      throw new FiredrillError('ENVIRONMENT', `could not mount a tmpfs at ${path}: ${detail}; run as root (mount needs CAP_SYS_ADMIN)`);
    }
    mounted.add(path);
    onProcessExit(unmountAllNow);
    return new TmpfsMount(path);
  }

  /** Unmounts; safe to call again. A busy mount is detached lazily rather than left behind. */
  async unmount(): Promise<void> {
    if (this.#unmounted) return;
    this.#unmounted = true;
    try {
      await run('umount', [this.path]);
    } catch {
      try {
        await run('umount', ['-l', this.path]);
      } catch (error) {
        const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
        throw new FiredrillError('ENVIRONMENT', `could not unmount the simulated host's tmpfs at ${this.path}: ${detail}; run: umount -l ${this.path}`);
      }
    } finally {
      mounted.delete(this.path);
    }
  }
}

/**
 * Unmounts the tmpfs of simulated hosts whose run is gone without unmounting them (killed with
 * SIGKILL, or the machine's processes reset): no exit hook runs then, and each would hold its
 * memory until a reboot. Found by the pid in their source; returns the paths it unmounted.
 */
export function sweepStaleMounts(isAlive: (pid: number) => boolean = processAlive): string[] {
  const stale = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .flatMap(([source, where]) => {
      const pid = mountSourcePid(source ?? '');
      return pid !== undefined && where !== undefined && !isAlive(pid) ? [unescapeMountField(where)] : [];
    });
  return stale.filter((path) => {
    try {
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
      return true;
    } catch {
      return false; // someone else's sweep got there first
    }
  });
}

/** True when `path` is a mount point in this process's mount namespace, from /proc/self/mounts. */
export function isMountPoint(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((line) => unescapeMountField(line.split(' ')[1] ?? '') === path);
}

/** /proc/*\/mounts writes space, tab, newline and backslash in a path as octal escapes. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** On exit: a lazy unmount, which cannot fail on a busy mount. */
function unmountAllNow(): void {
  for (const path of mounted) {
    try {
      execFileSync('umount', ['-l', path], { stdio: 'ignore' });
    } catch {
      // Nothing more can be done while exiting; `findmnt firedrill-host` shows it.
    }
  }
}

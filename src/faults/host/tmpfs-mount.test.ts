import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isMountPoint, mountSource, sweepStaleMounts } from './tmpfs-mount.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tmpfsAt(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-sweep-'));
  const path = join(dir, 'data');
  mkdirSync(path);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', source, path]);
  cleanups.push(() => {
    if (isMountPoint(path)) execFileSync('umount', ['-l', path]);
    rmSync(dir, { recursive: true, force: true });
  });
  return path;
}

describe('sweepStaleMounts', () => {
  it("unmounts the simulated-host tmpfs of a run that was killed outright, and leaves a live run's alone", () => {
    // A pid that is certainly gone: a process that ran and was waited for.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = tmpfsAt(mountSource(deadPid));
    const live = tmpfsAt(mountSource());
    expect(sweepStaleMounts((pid) => pid !== deadPid)).toEqual([stale]);
    expect(isMountPoint(stale)).toBe(false);
    expect(isMountPoint(live)).toBe(true);
  });
});

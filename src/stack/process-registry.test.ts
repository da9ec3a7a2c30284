import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mountsUnder, removeRunDirNow } from './process-registry.ts';

// As the simulated hosts do: a real tmpfs (mount needs root, which the suite runs as).
let dir: string | undefined;
afterEach(() => {
  if (!dir) return;
  for (const mountpoint of mountsUnder(dir)) execFileSync('umount', ['-l', mountpoint]);
  rmSync(dir, { recursive: true, force: true });
});

describe('removeRunDirNow', () => {
  it('removes a run directory with a tmpfs mounted inside it (a plain removal fails: EBUSY), leaving no mount', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-registry-test-'));
    const data = path.join(dir, 'host-x', 'rootfs', 'data');
    mkdirSync(data, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'firedrill-registry-test', data]);
    writeFileSync(path.join(data, 'fill'), 'x');
    expect(mountsUnder(dir)).toEqual([data]);
    expect(() => rmSync(dir!, { recursive: true, force: true })).toThrow(/EBUSY/);
    removeRunDirNow(dir);
    expect([existsSync(dir), mountsUnder(dir)]).toEqual([false, []]);
  });

  it('does not throw for a directory that is gone', () => {
    expect(() => removeRunDirNow(path.join(os.tmpdir(), 'firedrill-registry-test-none'))).not.toThrow();
  });
});

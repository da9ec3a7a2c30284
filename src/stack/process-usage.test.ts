import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sideCpuSeconds, usageOf } from './process-usage.ts';
import { signalTree } from './process-tree.ts';
import { waitFor } from './wait-for.ts';

describe('usageOf', () => {
  it("counts the CPU of a process's descendants (a PostgreSQL's backends), not only its own", async () => {
    // A parent that idles while its child burns half a second of CPU and then idles too. By its own
    // CPU clock, not the wall's: on a busy machine half a second of wall time is less CPU (seen in
    // CI under load: 0.44 s, and the wait for 0.45 s could never end).
    const child = `const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (used() < 500) {} setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}], { stdio: 'ignore' }); setInterval(() => {}, 1000);`], { stdio: 'ignore' });
    try {
      const seen = await waitFor(
        "the child's half second of CPU counted under its parent",
        async () => {
          const usage = usageOf([parent.pid!]);
          return usage.cpuSeconds >= 0.45 ? { value: usage, seen: `${usage.cpuSeconds}s` } : { seen: `${usage.cpuSeconds}s` };
        },
        { timeoutMs: 15_000, pollMs: 50 },
      );
      expect(seen.rssBytes).toBeGreaterThan(0);
    } finally {
      signalTree(parent.pid!, 'SIGKILL');
    }
  });

  it('counts a pid that is gone as zero', () => {
    expect(usageOf([2 ** 22 + 12345])).toEqual({ cpuSeconds: 0, rssBytes: 0 });
  });
});

describe('sideCpuSeconds', () => {
  it('counts the CPU of children that ended (a docker-compose call), which no running process holds any more', async () => {
    const before = sideCpuSeconds();
    const burn = `const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (used() < 300) {}`;
    await new Promise((resolve, reject) => spawn(process.execPath, ['-e', burn], { stdio: 'ignore' }).once('exit', resolve).once('error', reject));
    expect(sideCpuSeconds() - before).toBeGreaterThanOrEqual(0.29);
  });
});

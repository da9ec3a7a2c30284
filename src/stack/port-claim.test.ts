import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort, releasePort } from './free-port.ts';
import { claimPort } from './port-claim.ts';

/** A separate process that draws a port with freePort and prints it, then waits to be killed. */
async function portOfAnotherProcess() {
  const code = `import('./src/stack/free-port.ts').then(async (m) => { console.log(await m.freePort()); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, port: Number(line.toString().trim()) };
}

/** Math.random values that make freePort draw `ports`, in order. */
const drawing = (...ports: number[]) => ports.map((port) => (port - 20_000) / (32_767 - 20_000 + 1) + 1e-9);

describe.runIf(process.platform === 'linux')('claimPort', () => {
  afterEach(() => vi.restoreAllMocks());

  it('holds a port freePort handed out against every other claim until it is released', async () => {
    const port = await freePort();
    expect(await claimPort(port)).toBeUndefined();
    releasePort(port);
    await vi.waitFor(async () => {
      const again = await claimPort(port);
      expect(again).toBeDefined();
      again!.release();
    });
  });

  it("keeps freePort off a port another process claimed, though nothing listens on it, and ends with that process's death", async () => {
    const other = await portOfAnotherProcess();
    const held = other.port;
    try {
      expect(held).toBeGreaterThanOrEqual(20_000);
      const free = await freePort();
      releasePort(free);
      // The draws: the other process's port first, then one free.
      const draws = drawing(held, free);
      vi.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0.5);
      const port = await freePort();
      vi.restoreAllMocks();
      releasePort(port);
      expect(port).toBe(free);
    } finally {
      other.child.kill('SIGKILL');
      await once(other.child, 'exit');
    }
    // Killed without a chance to release: the kernel dropped the claim with the process.
    const claim = await claimPort(held);
    expect(claim).toBeDefined();
    claim!.release();
  });
});

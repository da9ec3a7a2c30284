import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FiredrillError } from '../errors.ts';
import { bindOnFreePort, releasePort } from './free-port.ts';

const taken = (port: number) => new FiredrillError('PORT_TAKEN', `127.0.0.1:${port} is taken`);

describe('bindOnFreePort', () => {
  it('draws another port when the one drawn was taken before the bind, and binds there', async () => {
    const tried: number[] = [];
    const server = await bindOnFreePort(async (port) => {
      tried.push(port);
      if (tried.length < 3) throw taken(port);
      return await new Promise<Server>((resolve) => {
        const s = createServer();
        s.listen(port, '127.0.0.1', () => resolve(s));
      });
    });
    try {
      expect(tried).toHaveLength(3);
      expect(new Set(tried).size).toBe(3);
      expect((server.address() as { port: number }).port).toBe(tried[2]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      releasePort(tried[2]!);
    }
  });

  it('gives up after its attempts, throwing the last PORT_TAKEN, and throws any other failure at once', async () => {
    let calls = 0;
    await expect(bindOnFreePort(async (port) => (calls++, Promise.reject(taken(port))), 4)).rejects.toMatchObject({ code: 'PORT_TAKEN' });
    expect(calls).toBe(4);
    calls = 0;
    await expect(bindOnFreePort(async () => (calls++, Promise.reject(new FiredrillError('ENVIRONMENT', 'the thread died'))))).rejects.toThrow('the thread died');
    expect(calls).toBe(1);
  });
});

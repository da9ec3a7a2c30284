import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, releasePort } from '../../stack/free-port.ts';
import { ManagedProcess } from '../../stack/managed-process.ts';
import { waitFor } from '../../stack/wait-for.ts';
import { startTcpFaultProxy } from './tcp-fault-proxy.ts';
import { TestClient } from './test-sockets.ts';

const REDIS_SERVER = '/usr/bin/redis-server';

/** Sends a RESP command and waits for a reply ending in `expected`; returns the milliseconds it took. */
async function command(client: TestClient, text: string, expected: RegExp): Promise<{ ms: number; reply: string }> {
  const before = client.receivedBytes;
  const startedAt = performance.now();
  client.socket.write(`${text}\r\n`);
  const reply = () => client.received().subarray(before).toString('utf8');
  await client.until(`redis to answer ${text} with ${expected}`, () => expected.test(reply()));
  return { ms: performance.now() - startedAt, reply: reply() };
}

const ping = async (client: TestClient) => (await command(client, 'PING', /^\+PONG\r\n$/)).ms;

describe.skipIf(!existsSync(REDIS_SERVER))('the tcp fault proxy in front of a real redis-server', () => {
  let port = 0;
  let dir = '';
  let redis: ManagedProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'firedrill-proxy-redis-'));
    redis = new ManagedProcess({
      name: 'redis-server',
      command: REDIS_SERVER,
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      logFile: join(dir, 'redis.log'),
    });
    await waitFor(
      `redis-server to answer PING on 127.0.0.1:${port}`,
      async () => {
        const client = await TestClient.connect(port);
        try {
          await ping(client);
          return { value: true, seen: 'PONG' };
        } finally {
          client.destroy();
        }
      },
      { timeoutMs: 10_000, pollMs: 50, abortIf: () => redis?.exitStory() },
    );
  });

  afterAll(async () => {
    await redis?.stop();
    releasePort(port);
    rmSync(dir, { recursive: true, force: true });
  });

  it('slows PING on an open connection, resets it on both sides, and serves again after the reverts', async () => {
    await using proxy = await startTcpFaultProxy({ upstream: { host: '127.0.0.1', port } });
    const direct = await TestClient.connect(port);
    const clientsOfRedis = async () => Number(/connected_clients:(\d+)/.exec((await command(direct, 'INFO clients', /connected_clients:\d+\r\n[\s\S]*\r\n\r\n$/)).reply)?.[1]);
    const client = await TestClient.connect(proxy.port);
    await ping(client);
    expect(await clientsOfRedis()).toBe(2);

    await proxy.inject({ id: 'slow', kind: 'latency', params: { ms: 150 } });
    expect(await ping(client)).toBeGreaterThanOrEqual(296);
    await proxy.inject({ id: 'rst', kind: 'reset', params: {} });
    expect(await client.closedWith()).toBe('ECONNRESET');
    // The proxy's own connection to redis goes too, so redis is left with the direct one only.
    await waitFor('redis to see the proxied connection go', async () => {
      const clients = await clientsOfRedis();
      return { value: clients === 1 || undefined, seen: `connected_clients:${clients}` };
    }, { timeoutMs: 5_000, pollMs: 20 });

    await proxy.revert('rst');
    const again = await TestClient.connect(proxy.port);
    expect(await ping(again)).toBeGreaterThanOrEqual(296);
    await proxy.revert('slow');
    let fastest = Infinity;
    for (let i = 0; i < 5; i++) fastest = Math.min(fastest, await ping(again));
    expect(fastest).toBeLessThan(150);
    again.destroy();
    direct.destroy();
  });
});

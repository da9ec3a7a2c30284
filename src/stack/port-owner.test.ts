import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listensOn } from './port-owner.ts';

describe('listensOn', () => {
  let listener: ChildProcess;
  let bystander: ChildProcess;
  let port: number;
  beforeAll(async () => {
    // A child that listens (found in its own fds) under this test process (found through the tree).
    listener = spawn(process.execPath, ['-e', "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(listener.stdout!, 'data')) as [Buffer];
    port = Number(line.toString().trim());
    bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
  });
  afterAll(() => {
    listener.kill();
    bystander.kill();
  });

  it('finds the listener itself, and through its parent', () => {
    expect(listensOn(port, listener.pid!)).toBe(true);
    expect(listensOn(port, process.pid)).toBe(true);
  });

  it('is false for a process that does not hold the socket, and for a port nobody listens on', () => {
    expect(listensOn(port, bystander.pid!)).toBe(false);
    listener.kill('SIGKILL');
    return once(listener, 'exit').then(() => expect(listensOn(port, process.pid)).toBe(false));
  });
});

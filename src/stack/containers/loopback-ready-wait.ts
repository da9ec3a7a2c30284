import type { WaitStrategy } from 'testcontainers';
import { answersReady } from '../../observe/http-json.ts';
import { pause } from '../wait-for.ts';

const POLL_MS = 50;

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];

/**
 * Testcontainers' HTTP strategies ask a mapped port; with host networking a container maps none,
 * so this one asks /-/ready on the loopback port the part listens on, and gives up at once when
 * the container stops.
 */
export class LoopbackReadyWait implements WaitStrategy {
  #timeoutMs = 30_000;
  #timeoutSet = false;

  constructor(private readonly port: number) {}

  async waitUntilReady(container: Container): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    let seen = 'no answer';
    while (Date.now() < deadline) {
      if (await answersReady(`http://127.0.0.1:${this.port}`)) return;
      const state = (await container.inspect()).State;
      if (!state.Running) throw new Error(`container stopped (exit ${state.ExitCode}) before answering /-/ready on 127.0.0.1:${this.port}`);
      seen = `running, /-/ready on 127.0.0.1:${this.port} not answering yet`;
      await pause(POLL_MS, undefined);
    }
    throw new Error(`no answer from /-/ready on 127.0.0.1:${this.port} within ${this.#timeoutMs} ms; last seen: ${seen}`);
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }

  getStartupTimeout(): number {
    return this.#timeoutMs;
  }
}

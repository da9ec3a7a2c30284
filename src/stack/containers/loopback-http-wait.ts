import type { WaitStrategy } from 'testcontainers';
import { httpJson } from '../../observe/http-json.ts';
import { pause } from '../wait-for.ts';

const POLL_MS = 50;

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];

/** The startup timeout every Testcontainers strategy carries (its own base class is not exported). */
abstract class StartupTimeout implements WaitStrategy {
  protected timeoutMs = 30_000;
  #timeoutSet = false;

  abstract waitUntilReady(container: Container): Promise<void>;

  withStartupTimeout(startupTimeoutMs: number): this {
    this.timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

/**
 * An HTTP strategy on a loopback port: HTTP 200 from `path` on 127.0.0.1:`port`, giving up at once
 * when the container stops. Testcontainers' own strategies ask the port from the engine's host
 * name and probe inside the container; with host networking a container maps no port, and a port
 * published on 127.0.0.1 only is best asked on 127.0.0.1 (seen in CI: "Port ... not bound after
 * 30000ms" from the default strategy while the service answered).
 */
export class LoopbackHttpWait extends StartupTimeout {
  constructor(
    private readonly port: number,
    private readonly path: string,
  ) {
    super();
  }

  async waitUntilReady(container: Container): Promise<void> {
    const url = `http://127.0.0.1:${this.port}${this.path}`;
    const deadline = Date.now() + this.timeoutMs;
    let seen = 'no answer';
    // Named in the errors: several containers come up in one `up`, and its failure is each one's.
    let name = 'container';
    while (Date.now() < deadline) {
      try {
        const { status } = await httpJson('GET', url, { timeoutMs: 1_000 });
        if (status === 200) return;
        seen = `HTTP ${status}`;
      } catch (error) {
        seen = error instanceof Error ? error.message : String(error);
      }
      const { Name, State: state } = await container.inspect();
      name = `container ${Name.replace(/^\//, '')}`;
      if (!state.Running) throw new Error(`${name} stopped (exit ${state.ExitCode}) before ${url} answered 200`);
      await pause(POLL_MS, undefined);
    }
    throw new Error(`no HTTP 200 from ${url} (${name}) within ${this.timeoutMs} ms; last seen: ${seen}`);
  }
}

/** For the containers a service depends on, whose readiness firedrill cannot know: running is enough (the service's own wait follows). */
export class RunningWait extends StartupTimeout {
  async waitUntilReady(container: Container): Promise<void> {
    const state = (await container.inspect()).State;
    if (!state.Running) throw new Error(`container stopped (exit ${state.ExitCode}) right after it started`);
  }
}

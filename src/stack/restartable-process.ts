import { FiredrillError } from '../errors.ts';
import { ManagedProcess, waitUntilServing, type ProcessSpec } from './managed-process.ts';
import type { StackPart } from './stack-part.ts';
import { waitFor, type Probe } from './wait-for.ts';

/** Budget for a process to start answering: process start-up, not an alert timing. */
export const PROCESS_START_TIMEOUT_MS = 30_000;
const START_POLL_MS = 50;

export interface RestartableProcessOptions {
  /** `service api`, `postgres db`, `exporter node`: how logs and errors name it. */
  readonly name: string;
  /** The 127.0.0.1 port it serves on, the same after every restart. */
  readonly port: number;
  /** Its command line, environment and log file, read at every start. */
  readonly launch: () => ProcessSpec;
  /** Whether it answers yet (an HTTP 200, a PING, pg_isready). */
  readonly probe: () => Promise<Probe<true>>;
}

/**
 * A process on a fixed port of 127.0.0.1 that faults can kill, stop, pause and start again:
 * services, exporters and managed dependencies alike.
 */
export class RestartableProcess implements StackPart {
  #process: ManagedProcess | undefined;
  /** Bumped on every start: state held in the process (a cooperating service's faults) dies with it. */
  generation = 0;

  constructor(readonly options: RestartableProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get port(): number {
    return this.options.port;
  }

  get process(): ManagedProcess | undefined {
    return this.#process;
  }

  get running(): boolean {
    return this.#process?.running ?? false;
  }

  /** Starts the process and waits until it answers; `signal` ends the wait at once (another part of the start failed). */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#process?.running) throw new FiredrillError('ENVIRONMENT', `${this.name} is already running`);
    const current = new ManagedProcess(this.options.launch());
    this.#process = current;
    this.generation += 1;
    await waitUntilServing(current, this.port, () =>
      waitFor(
        `${this.name} to answer on 127.0.0.1:${this.port}`,
        async () => {
          const answer = await this.options.probe();
          if (answer.value === undefined) return answer;
          return current.ownsPort(this.port) ? answer : { seen: `${answer.seen}, but from a process other than ${this.name}` };
        },
        { timeoutMs: PROCESS_START_TIMEOUT_MS, pollMs: START_POLL_MS, abortIf: () => current.unexpectedTrouble(), signal },
      ),
    );
  }

  /** SIGKILL to it and its children: a crash. */
  kill(): void {
    this.#process?.signal('SIGKILL');
  }

  pause(): void {
    this.#process?.signal('SIGSTOP');
  }

  resume(): void {
    this.#process?.signal('SIGCONT');
  }

  async waitExited(): Promise<void> {
    await this.#process?.exited;
  }

  /** A clean shutdown with its stop signal: the `stop` fault, and the end of the stack. */
  async stop(): Promise<void> {
    await this.#process?.stop();
  }
}

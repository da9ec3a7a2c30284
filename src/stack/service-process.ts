import path from 'node:path';
import type { ResolvedService } from '../config/load-config.ts';
import { FiredrillError } from '../errors.ts';
import { httpJson } from '../observe/http-json.ts';
import { ManagedProcess, waitUntilServing } from './managed-process.ts';
import { waitFor } from './wait-for.ts';

/** Budget for a service process to start listening: process start-up, not an alert timing. */
export const SERVICE_START_TIMEOUT_MS = 30_000;
const START_POLL_MS = 50;

/** One fixture or user service on a fixed port of 127.0.0.1; it can be killed, paused and started again. */
export class ServiceProcess {
  #process: ManagedProcess | undefined;
  /** Bumped on every start: app faults die with the process that held them. */
  generation = 0;

  constructor(
    readonly service: ResolvedService,
    readonly port: number,
    private readonly configDir: string,
    private readonly runDir: string,
    private readonly faultToken: string,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get process(): ManagedProcess | undefined {
    return this.#process;
  }

  /** Starts the service and waits until it answers; `signal` ends the wait at once (another part of the start failed). */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#process?.running) throw new FiredrillError('ENVIRONMENT', `service ${this.service.name} is already running`);
    const [command, ...args] = this.service.command;
    this.#process = new ManagedProcess({
      name: `service ${this.service.name}`,
      command: command!,
      args,
      cwd: this.configDir,
      env: { ...process.env, ...this.service.env, PORT: String(this.port), FIREDRILL_FAULT_TOKEN: this.faultToken },
      logFile: path.join(this.runDir, `service-${this.service.name}.log`),
    });
    this.generation += 1;
    const current = this.#process;
    await waitUntilServing(current, this.port, () =>
      waitFor(
        `service ${this.service.name} to answer ${this.baseUrl}${this.service.metricsPath}`,
        async () => {
          const { status } = await httpJson('GET', `${this.baseUrl}${this.service.metricsPath}`, { timeoutMs: 1_000 });
          if (status !== 200) return { seen: `HTTP ${status}` };
          return current.ownsPort(this.port) ? { value: true, seen: 'ok' } : { seen: `HTTP 200, but from a process other than ${current.spec.name}` };
        },
        { timeoutMs: SERVICE_START_TIMEOUT_MS, pollMs: START_POLL_MS, abortIf: () => current.unexpectedTrouble(), signal },
      ),
    );
  }

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

  async stop(): Promise<void> {
    await this.#process?.stop();
  }
}

import { PROCESS_START_TIMEOUT_MS } from '../restartable-process.ts';
import type { StackPart } from '../stack-part.ts';
import { waitFor, type Probe } from '../wait-for.ts';
import { ContainerProcess } from './container-process.ts';
import { docker, dockerOutput } from './docker-cli.ts';
import { engineContainer } from './engine-api.ts';

const START_POLL_MS = 50;

/** Where a stack's containers come from: a compose project that brings them up on first asking. */
export interface ContainerSource {
  /** The id of `service`'s container, once it is up; `where` names the part in errors. */
  containerOf(service: string, where: string): Promise<string>;
}

export interface ComposeServiceLaunch {
  /** `service api`, `exporter db`: how logs and errors name it. */
  readonly name: string;
  /** Its name in the compose file. */
  readonly service: string;
  /** The stack's project for the file it comes from. */
  readonly project: ContainerSource;
  /** The free port of 127.0.0.1 it answers on (published there, or listened on with host networking). */
  readonly port: number;
  readonly logFile: string;
  /** Whether it answers yet (its metrics endpoint). */
  readonly probe: () => Promise<Probe<true>>;
}

/**
 * A container of a stack: a service of the user's compose file, run as it runs in production, in
 * the stack's compose project for that file; or an exporter or a service with an image on the
 * containers stack. Its process faults act on the container through the engine's API: kill,
 * pause, and a start after either starts the same container again, on the same port;
 * `disconnect` takes it off its networks.
 */
export class ComposeService implements StackPart {
  readonly #launch: ComposeServiceLaunch;
  #id: string | undefined;
  #process: ContainerProcess | undefined;
  #killed: Promise<void> | undefined;
  #networks: string[] = [];
  generation = 0;

  constructor(launch: ComposeServiceLaunch) {
    this.#launch = launch;
  }

  get name(): string {
    return this.#launch.name;
  }

  get port(): number {
    return this.#launch.port;
  }

  get process(): ContainerProcess | undefined {
    return this.#process;
  }

  get running(): boolean {
    return this.#process?.running ?? false;
  }

  async start(signal?: AbortSignal): Promise<void> {
    const restart = this.#id !== undefined;
    const id = (this.#id ??= await this.#launch.project.containerOf(this.#launch.service, this.name));
    if (restart) await (await engineContainer(id)).start();
    const current = await ContainerProcess.follow(this.name, id, this.#launch.logFile);
    this.#process = current;
    this.generation += 1;
    await waitFor(`${this.name} (container ${id.slice(0, 12)}) to answer on 127.0.0.1:${this.port}`, this.#launch.probe, {
      timeoutMs: PROCESS_START_TIMEOUT_MS,
      pollMs: START_POLL_MS,
      abortIf: () => current.unexpectedTrouble(),
      signal,
    });
  }

  kill(): void {
    if (!this.#id || !this.running) return;
    this.#process?.expectExit();
    const id = this.#id;
    this.#killed = engineContainer(id).then((container) => container.kill());
  }

  async pause(): Promise<void> {
    if (this.#id) await (await engineContainer(this.#id)).pause();
  }

  async resume(): Promise<void> {
    if (this.#id) await (await engineContainer(this.#id)).unpause().catch(() => undefined); // not paused: nothing to undo
  }

  async waitExited(): Promise<void> {
    await this.#killed;
    await this.#process?.exited;
  }

  /** Takes the container off every network it is on (a partition): published port, peers and the outside are gone. */
  async disconnect(): Promise<void> {
    if (!this.#id) return;
    const networks = JSON.parse((await dockerOutput(['inspect', '--format', '{{json .NetworkSettings.Networks}}', this.#id])).trim() || '{}') as Record<string, unknown>;
    this.#networks = Object.keys(networks);
    for (const network of this.#networks) await docker(['network', 'disconnect', network, this.#id]);
  }

  async reconnect(): Promise<void> {
    if (!this.#id) return;
    for (const network of this.#networks) await docker(['network', 'connect', network, this.#id]);
    this.#networks = [];
  }

  async stop(): Promise<void> {
    await this.resume();
    await this.#process?.stop();
  }
}

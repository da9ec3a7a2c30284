import { ManagedProcess } from '../managed-process.ts';
import type { PartProcess } from '../stack-part.ts';
import { listensOn } from '../port-owner.ts';
import { dockerOutput } from './docker-cli.ts';
import { engineContainer } from './engine-api.ts';

/** How long a container gets to stop after its stop signal before docker kills it. */
const STOP_GRACE_SECONDS = 5;

/**
 * A container of a stack, seen as a process: `docker logs --follow` runs as long as the container
 * does, writes its output to the part's log file and keeps its last lines, and its end is the
 * container's. The port check reads the container's main process, which on host networking holds
 * the socket in this host's network namespace.
 */
export class ContainerProcess implements PartProcess {
  readonly #follower: ManagedProcess;
  #exitCode: string | undefined;
  #stopping = false;
  /** Resolves when the container has stopped (its log follower ends with it). */
  readonly exited: Promise<unknown>;

  private constructor(
    readonly spec: { readonly name: string; readonly logFile: string },
    readonly id: string,
    readonly pid: number | undefined,
  ) {
    this.#follower = new ManagedProcess({ name: spec.name, command: 'docker', args: ['logs', '--follow', id], logFile: spec.logFile });
    this.exited = this.#follower.exited;
    void this.#follower.exited.then(async () => {
      const code = await engineContainer(id).then((c) => c.inspect()).then((info) => info.State.ExitCode, () => undefined);
      this.#exitCode = code === undefined ? undefined : String(code);
    });
  }

  static async follow(name: string, id: string, logFile: string): Promise<ContainerProcess> {
    const pid = (await (await engineContainer(id)).inspect()).State.Pid;
    return new ContainerProcess({ name, logFile }, id, pid > 0 ? pid : undefined);
  }

  get running(): boolean {
    return this.#follower.running;
  }

  troubleStory(): string | undefined {
    if (this.#stopping || this.running) return undefined;
    const last = this.#follower.lastLines().at(-1);
    return `container ${this.id.slice(0, 12)} exited${this.#exitCode ? ` (code ${this.#exitCode})` : ''}${last ? `; last line: ${last.trim()}` : ''}`;
  }

  unexpectedExit(): string | undefined {
    const story = this.troubleStory();
    return story === undefined ? undefined : `${this.spec.name} ${story}`;
  }

  unexpectedTrouble(): string | undefined {
    return this.unexpectedExit();
  }

  ownsPort(port: number): boolean {
    return this.pid !== undefined && this.running && listensOn(port, this.pid);
  }

  /** A fault is about to stop or kill it: its end is the drill's doing, not a crash. */
  expectExit(): void {
    this.#stopping = true;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.running) await dockerOutput(['stop', '--time', String(STOP_GRACE_SECONDS), this.id]).catch(() => undefined);
    await this.#follower.stop();
  }
}

import { ManagedProcess } from '../managed-process.ts';
import type { PartProcess } from '../stack-part.ts';
import { listensOn } from '../port-owner.ts';
import { engineContainer, type EngineContainer } from './engine-api.ts';

/** How long a container gets to stop after its stop signal before docker kills it. */
const STOP_GRACE_SECONDS = 5;
/** A log follower that ended sooner than this after it started is followed again only this much later. */
const REFOLLOW_MIN_MS = 1_000;

/**
 * A container of a stack, seen as a process. Its end is the container's, as the engine reports it
 * (a wait on the container, then its state): not the end of its log follower. `docker logs
 * --follow` can end while the container runs (seen in CI under load: "alertmanager container
 * exited (code 0)", the code of a container still running, and the stack's start failed); it is
 * then followed again from where it stopped. The port check reads the container's main process,
 * which on host networking holds the socket in this host's network namespace.
 */
export class ContainerProcess implements PartProcess {
  readonly #spec: { readonly name: string; readonly logFile: string };
  readonly #container: EngineContainer;
  #follower: ManagedProcess;
  /** The last lines of every follower so far, the newest last. */
  #earlierLines: string[] = [];
  #stopped: { readonly code: number | undefined } | undefined;
  #stopping = false;
  /** Resolves when the container has stopped. */
  readonly exited: Promise<void>;

  private constructor(
    spec: { readonly name: string; readonly logFile: string },
    container: EngineContainer,
    readonly id: string,
    readonly pid: number | undefined,
  ) {
    this.#spec = spec;
    this.#container = container;
    this.#follower = this.#follow(undefined);
    this.exited = this.#untilStopped().then((stopped) => {
      this.#stopped = stopped;
    });
  }

  static async follow(name: string, id: string, logFile: string): Promise<ContainerProcess> {
    const container = await engineContainer(id);
    const pid = (await container.inspect()).State.Pid;
    return new ContainerProcess({ name, logFile }, container, id, pid > 0 ? pid : undefined);
  }

  get spec(): { readonly name: string; readonly logFile: string } {
    return this.#spec;
  }

  get running(): boolean {
    return this.#stopped === undefined;
  }

  troubleStory(): string | undefined {
    if (this.#stopping || this.#stopped === undefined) return undefined;
    const last = this.#lastLines().at(-1);
    const code = this.#stopped.code;
    return `container ${this.id.slice(0, 12)} exited${code === undefined ? '' : ` (code ${code})`}${last ? `; last line: ${last.trim()}` : ''}`;
  }

  unexpectedExit(): string | undefined {
    const story = this.troubleStory();
    return story === undefined ? undefined : `${this.#spec.name} ${story}`;
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
    if (this.running) await this.#container.stop({ t: STOP_GRACE_SECONDS }).catch(() => undefined);
    await this.exited;
    await this.#follower.stop();
  }

  /** Waits on the engine until the container no longer runs (a lost wait is asked again); its exit code when the engine still knows it. */
  async #untilStopped(): Promise<{ code: number | undefined }> {
    for (;;) {
      await this.#container.wait().catch(() => undefined);
      const state = await this.#state();
      // Gone from the engine (removed, or the engine itself is gone): stopped, code unknown.
      if (state === undefined) return { code: undefined };
      if (!state.Running) return { code: state.ExitCode };
    }
  }

  /** `docker logs --follow` into the part's log; followed again from where it ended while the container runs. */
  #follow(since: string | undefined): ManagedProcess {
    const startedAt = Date.now();
    const follower = new ManagedProcess({
      name: this.#spec.name,
      command: 'docker',
      args: ['logs', '--follow', ...(since === undefined ? [] : ['--since', since]), this.id],
      logFile: this.#spec.logFile,
    });
    void follower.exited.then(async () => {
      const endedAt = (Date.now() / 1000).toFixed(3);
      const state = await this.#state();
      if (this.#stopping || this.#stopped !== undefined || !state?.Running) return;
      this.#earlierLines = this.#lastLines();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + REFOLLOW_MIN_MS - Date.now())));
      if (this.#stopping || this.#stopped !== undefined) return;
      this.#follower = this.#follow(endedAt);
    });
    return follower;
  }

  /** The container's state, or undefined when the engine no longer knows it (removed, or the engine gone). */
  #state(): Promise<{ Running: boolean; ExitCode: number } | undefined> {
    return this.#container.inspect().then(
      (info) => info.State,
      () => undefined,
    );
  }

  #lastLines(): string[] {
    return [...this.#earlierLines, ...this.#follower.lastLines()].slice(-20);
  }
}

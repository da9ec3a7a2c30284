import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment } from 'testcontainers';
import { stringify } from 'yaml';
import { readComposeDocument } from '../../config/compose-service-check.ts';
import type { ComposeServiceConfig } from '../../config/define-config.ts';
import { FiredrillError } from '../../errors.ts';
import { PROCESS_START_TIMEOUT_MS } from '../restartable-process.ts';
import type { StackPart } from '../stack-part.ts';
import { waitFor, type Probe } from '../wait-for.ts';
import { projectName, removeProjectNow, trackComposeProject } from './compose-projects.ts';
import { ContainerProcess } from './container-process.ts';
import { docker, dockerOutput, findDockerCompose } from './docker-cli.ts';
import { isolatedComposeDocument } from './isolated-compose-file.ts';
import { LoopbackHttpWait, RunningWait } from './loopback-http-wait.ts';

const START_POLL_MS = 50;
const DOWN_TIMEOUT_MS = 5_000;

export interface ComposeServiceLaunch {
  /** `service api`: how logs and errors name it. */
  readonly name: string;
  readonly system: string;
  readonly compose: ComposeServiceConfig;
  /** The free port of 127.0.0.1 its port is published on. */
  readonly port: number;
  readonly runDir: string;
  readonly env: Readonly<Record<string, string>>;
  /** Where it serves metrics: HTTP 200 there means it is up. */
  readonly metricsPath: string;
  /** Whether it answers yet (its metrics endpoint). */
  readonly probe: () => Promise<Probe<true>>;
}

let projects = 0;

/**
 * A service of the user's compose file, run as it runs in production, in a compose project of
 * this stack's own (brought up by Testcontainers, taken down with its volumes by `remove`). Its
 * process faults act on the container: kill is `docker kill`, pause is `docker pause`, a start
 * after either is `docker start` of the same container, on the same published port.
 */
export class ComposeService implements StackPart {
  readonly #launch: ComposeServiceLaunch;
  readonly #project: string;
  readonly #file: string;
  readonly #tracked: { release(): void };
  #started: StartedDockerComposeEnvironment | undefined;
  #id: string | undefined;
  #process: ContainerProcess | undefined;
  #killed: Promise<void> | undefined;
  #networks: string[] = [];
  generation = 0;

  constructor(launch: ComposeServiceLaunch) {
    this.#launch = launch;
    this.#project = projectName(`${launch.system}${launch.compose.service}`, process.pid, ++projects);
    this.#tracked = trackComposeProject(this.#project);
    const where = `${launch.name}: compose`;
    const isolated = isolatedComposeDocument(readComposeDocument(launch.compose.file, where), launch.compose.service, { hostPort: launch.port, containerPort: launch.compose.port, env: launch.env });
    this.#file = path.join(launch.runDir, `compose-${launch.compose.service}-${projects}.yml`);
    // docker-compose reads YAML 1.1, where a bare `no` is a boolean: write it as 1.1 quotes it.
    writeFileSync(this.#file, stringify(isolated, { version: '1.1' }));
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
    const id = this.#id ?? (await this.#up());
    if (this.#process !== undefined) await docker(['start', id]);
    const current = await ContainerProcess.follow(this.name, id, path.join(this.#launch.runDir, `service-${this.#launch.compose.service}.log`));
    this.#process = current;
    this.generation += 1;
    await waitFor(`${this.name} (container ${id.slice(0, 12)}) to answer on 127.0.0.1:${this.port}`, this.#launch.probe, {
      timeoutMs: PROCESS_START_TIMEOUT_MS,
      pollMs: START_POLL_MS,
      abortIf: () => current.unexpectedTrouble(),
      signal,
    });
  }

  async #up(): Promise<string> {
    const { compose } = this.#launch;
    const environment = new DockerComposeEnvironment(path.dirname(this.#file), path.basename(this.#file))
      .withProjectName(this.#project)
      .withAutoCleanup(false)
      // Relative paths in the file (build contexts, volumes) resolve from the user's directory, as there.
      .withClientOptions({ executable: { standalone: true, executablePath: findDockerCompose() }, composeOptions: ['--project-directory', path.dirname(compose.file)] })
      .withDefaultWaitStrategy(new RunningWait())
      .withWaitStrategy(`${this.#project}_${compose.service}_1`, new LoopbackHttpWait(this.#launch.port, this.#launch.metricsPath))
      .withStartupTimeout(PROCESS_START_TIMEOUT_MS);
    try {
      this.#started = await environment.up([compose.service]);
    } catch (error) {
      const reason = firstLines(error);
      throw new FiredrillError('PROCESS_EXITED', `${this.name}: compose service '${compose.service}' of ${path.basename(compose.file)} did not start: ${reason}`, { cause: error });
    }
    this.#id = this.#started.getContainer(`${this.#project}_${compose.service}_1`).getId();
    return this.#id;
  }

  kill(): void {
    if (!this.#id || !this.running) return;
    this.#process?.expectExit();
    this.#killed = docker(['kill', this.#id]);
  }

  async pause(): Promise<void> {
    if (this.#id) await docker(['pause', this.#id]);
  }

  async resume(): Promise<void> {
    if (this.#id) await docker(['unpause', this.#id]).catch(() => undefined); // not paused: nothing to undo
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

  /** The end of the stack: the project down with its volumes, whatever is left removed. */
  async remove(): Promise<void> {
    await this.resume();
    await this.#started?.down({ removeVolumes: true, timeout: DOWN_TIMEOUT_MS }).catch(() => undefined);
    removeProjectNow(this.#project);
    this.#tracked.release();
  }
}

/** docker-compose's complaint in one line: its first lines say what and where ("... is invalid because:" then the reason). */
export function firstLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
}

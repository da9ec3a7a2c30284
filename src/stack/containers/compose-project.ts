import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import { testcontainers } from './testcontainers.ts';
import { stringify } from 'yaml';
import { readComposeDocument } from '../../config/compose-service-check.ts';
import { FiredrillError } from '../../errors.ts';
import { PROCESS_START_TIMEOUT_MS } from '../restartable-process.ts';
import { projectName, removeProjectNow, trackComposeProject } from './compose-projects.ts';
import { composeEnvironment } from './compose-environment.ts';
import { containerCgroupParent, findDockerCompose } from './docker-cli.ts';
import { isolatedComposeDocument, type IsolatedService } from './isolated-compose-file.ts';
import { LoopbackHttpWait, RunningWait } from './loopback-http-wait.ts';

const DOWN_TIMEOUT_MS = 5_000;

/** One service of the file as this stack runs it. */
export interface ProjectService extends IsolatedService {
  /** Where it serves metrics: HTTP 200 there means it is up. */
  readonly metricsPath: string;
  /** The run's fault token, for a service with a fault endpoint. */
  readonly faultToken?: string;
}

/**
 * The services a stack runs from one compose file, as one compose project of the stack's own:
 * brought up together by one Testcontainers `up` (the first service to start brings all up),
 * taken down with their volumes and network by `remove`. One project per file keeps a stack to
 * one network, however many services it takes from the file.
 */
export class ComposeProject {
  readonly #file: string;
  readonly #userFile: string;
  readonly #project: string;
  readonly #services: ProjectService[] = [];
  #tracked: { release(): void } | undefined;
  #up: Promise<StartedDockerComposeEnvironment> | undefined;
  /** Set once `up` has read the services: one added later would not run. */
  #sealed = false;

  constructor(userFile: string, system: string, runDir: string) {
    this.#userFile = userFile;
    this.#project = projectName(system);
    this.#file = path.join(runDir, `compose-${path.basename(userFile, path.extname(userFile))}-${this.#project.split('-').at(-1)}.yml`);
  }

  get name(): string {
    return this.#project;
  }

  /** Adds a service, before the first `up`. */
  add(service: ProjectService): void {
    if (this.#sealed) throw new Error(`compose project ${this.#project}: '${service.service}' added after it started`);
    this.#services.push(service);
  }

  /** Brings every added service up at once (once), and resolves with the id of `service`'s container. */
  async containerOf(service: string, where: string): Promise<string> {
    this.#up ??= this.#bringUp();
    let started: StartedDockerComposeEnvironment;
    try {
      started = await this.#up;
    } catch (error) {
      throw new FiredrillError('PROCESS_EXITED', `${where}: compose service '${service}' of ${path.basename(this.#userFile)} did not start: ${firstLines(error)}`, { cause: error });
    }
    return started.getContainer(`${this.#project}_${service}_1`).getId();
  }

  async #bringUp(): Promise<StartedDockerComposeEnvironment> {
    // The stack adds its services and starts them in one go: wait a turn of the event loop, so
    // that the first start brings up every service added with it, not only itself.
    await new Promise((resolve) => setImmediate(resolve));
    this.#sealed = true;
    this.#tracked = trackComposeProject(this.#project);
    const token = this.#services.find((s) => s.faultToken !== undefined)?.faultToken;
    // The file names only the variable; the token reaches docker-compose through its environment.
    const isolated = isolatedComposeDocument(
      readComposeDocument(this.#userFile, this.#userFile),
      this.#services.map((s) => (s.faultToken === undefined ? s : { ...s, env: { ...s.env, FIREDRILL_FAULT_TOKEN: '${FIREDRILL_FAULT_TOKEN}' } })),
      await containerCgroupParent(),
    );
    // docker-compose reads YAML 1.1, where a bare `no` is a boolean: write it as 1.1 quotes it.
    writeFileSync(this.#file, stringify(isolated, { version: '1.1' }));
    const { DockerComposeEnvironment } = await testcontainers();
    const composePath = findDockerCompose();
    const composeEnv = await composeEnvironment(composePath);
    let environment = new DockerComposeEnvironment(path.dirname(this.#file), path.basename(this.#file))
      .withProjectName(this.#project)
      .withEnvironment(token === undefined ? composeEnv : { ...composeEnv, FIREDRILL_FAULT_TOKEN: token })
      .withAutoCleanup(false)
      // Relative paths in the file (build contexts, volumes) resolve from the user's directory, as there.
      .withClientOptions({ executable: { standalone: true, executablePath: composePath }, composeOptions: ['--project-directory', path.dirname(this.#userFile)] })
      .withDefaultWaitStrategy(new RunningWait())
      .withStartupTimeout(PROCESS_START_TIMEOUT_MS);
    for (const s of this.#services) environment = environment.withWaitStrategy(`${this.#project}_${s.service}_1`, new LoopbackHttpWait(s.hostPort, s.metricsPath));
    return environment.up(this.#services.map((s) => s.service));
  }

  /** The end of the stack: the project down with its volumes and network, whatever is left removed. */
  async remove(): Promise<void> {
    const up = this.#up;
    if (!up) return;
    const started = await up.catch(() => undefined);
    await started?.down({ removeVolumes: true, timeout: DOWN_TIMEOUT_MS }).catch(() => undefined);
    removeProjectNow(this.#project);
    this.#tracked?.release();
  }
}

/** docker-compose's complaint in one line: its first lines say what and where ("... is invalid because:" then the reason). */
export function firstLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
}

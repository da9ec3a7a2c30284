import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import { testcontainers } from './testcontainers.ts';
import type { CompiledSystem } from '../../compile/compile-system.ts';
import { FiredrillError } from '../../errors.ts';
import type { MonitoringLaunch, MonitoringLauncher } from '../monitoring-launcher.ts';
import type { PartProcess } from '../stack-part.ts';
import { projectContainers, projectName, removeProject, removeProjectNow, trackComposeProject } from './compose-projects.ts';
import { firstLines } from './compose-project.ts';
import { ContainerProcess } from './container-process.ts';
import { LoopbackHttpWait, RunningWait } from './loopback-http-wait.ts';
import { StackContainers, type ContainerIds } from './stack-containers.ts';
import { serviceProcess } from '../service-process.ts';

/** The compose file that describes a containers stack; shipped with the package, at its top level. */
export const COMPOSE_FILE = fileURLToPath(new URL('../../../docker-compose.test.yml', import.meta.url));
/** The image variables docker-compose.test.yml reads. */
export const COMPOSE_FILE_VARIABLES: ReadonlySet<string> = new Set(
  [...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{(FIREDRILL_[A-Z_]+_IMAGE)\b/g)].map((m) => m[1]!),
);
/** Budget for a container to answer /-/ready after `up`, as for a local process. */
const READY_TIMEOUT_MS = 30_000;

export interface ComposeTools {
  /** docker-compose v1 (Debian's), driven by Testcontainers as a standalone executable. */
  readonly composePath: string;
  /** What docker-compose's environment gets besides the stack's variables (composeEnvironment). */
  readonly composeEnv: Readonly<Record<string, string>>;
  /** Image variables for docker-compose.test.yml: the caller's own, else the local builds. */
  readonly images: Readonly<Record<string, string>>;
  /** The containers' cgroup parent (see containerCgroupParent). */
  readonly cgroupParent?: string;
}

/** One `up` of a stack: a compose project of its own. */
interface StackProject {
  readonly name: string;
  readonly tracked: { release(): void };
  /** Its `up`, settled or not. */
  up?: Promise<unknown>;
}

/**
 * Prometheus, Alertmanager, the exporters and the services with an image of one stack, brought up
 * by Testcontainers: Alertmanager and the other parts together (each from its template in
 * docker-compose.test.yml, see stack-compose-file.ts), then Prometheus once they answer, as on the
 * native stack. Each of the two `up`s is a compose project of its own: Testcontainers takes the
 * whole project down (`--timeout 0`) when an `up` fails, and two `up`s of one project side by side
 * took each other's containers away (seen in CI: 'No such container', and an Alertmanager stopped
 * under a Prometheus starting). With host networking they share no network. All are taken down
 * with their volumes when the stack stops.
 */
export function composeLauncher(launch: MonitoringLaunch, compiled: CompiledSystem, tools: ComposeTools): MonitoringLauncher {
  const projects: StackProject[] = [];

  const variables = {
    ...tools.composeEnv,
    FIREDRILL_RUN_DIR: launch.runDir,
    FIREDRILL_ALERTMANAGER_PORT: String(launch.alertmanagerPort),
    FIREDRILL_PROMETHEUS_PORT: String(launch.prometheusPort),
    FIREDRILL_RESEND_DELAY: launch.resendDelay,
    // The run directory is this user's: the containers write into it as this user.
    FIREDRILL_UID: String(os.userInfo().uid),
    FIREDRILL_GID: String(os.userInfo().gid),
    ...(tools.cgroupParent === undefined ? {} : { FIREDRILL_CGROUP_PARENT: tools.cgroupParent }),
    ...tools.images,
  };

  /**
   * Brings `services` of `files` up as a project of their own, each waited on with `waits` (HTTP
   * on its loopback port); resolves with how to find each one's container.
   */
  const up = async (files: readonly string[], services: string[], waits: ReadonlyMap<string, LoopbackHttpWait>, passed: Readonly<Record<string, string>> = {}): Promise<ContainerIds> => {
    const name = projectName(compiled.system.name);
    const project: StackProject = { name, tracked: trackComposeProject(name) };
    projects.push(project);
    // Compose v1 names a container <project>_<service>_1; Testcontainers keeps that name.
    const containerName = (service: string) => `${name}_${service}_1`;
    const { DockerComposeEnvironment } = await testcontainers();
    let environment = new DockerComposeEnvironment(path.dirname(COMPOSE_FILE), [...files])
      .withProjectName(name)
      .withEnvironment({ ...variables, ...passed })
      // No Ryuk reaper (its image cannot be pulled here): firedrill takes its projects down itself.
      .withAutoCleanup(false)
      .withClientOptions({ executable: { standalone: true, executablePath: tools.composePath } })
      .withDefaultWaitStrategy(new RunningWait())
      .withStartupTimeout(READY_TIMEOUT_MS);
    for (const [service, wait] of waits) environment = environment.withWaitStrategy(containerName(service), wait);
    const upping = environment.up(services);
    project.up = upping;
    const started = await upping;
    // A container that exited at once (its port taken by another process between our pick and its
    // bind, as a local process's can be) is not among the running ones Testcontainers returns: it
    // is found by its project's label all the same, so that the readiness wait reports its exit
    // and its last log line, and a taken port makes the stack start again on fresh ports (seen in
    // CI: "Cannot get container ... as it is not running").
    return (service) => idOf(started, containerName(service)) ?? projectContainers(name, service)[0];
  };

  const parts = new StackContainers(launch.runDir, COMPOSE_FILE, (file, services, waits, passed) => up(file === undefined ? [COMPOSE_FILE] : [COMPOSE_FILE, file], services, waits, passed));

  /** Alertmanager in the parts' `up`; Prometheus, which starts once they answer, in an `up` of its own. */
  const monitoring = async (service: 'alertmanager' | 'prometheus'): Promise<PartProcess> => {
    let id: string | undefined;
    try {
      if (service === 'alertmanager') {
        id = await parts.withParts(service, new LoopbackHttpWait(launch.alertmanagerPort, '/-/ready'));
      } else {
        id = (await up([COMPOSE_FILE], [service], new Map([[service, new LoopbackHttpWait(launch.prometheusPort, '/-/ready')]])))(service);
      }
    } catch (error) {
      // Alertmanager's `up` is the parts' too: its failure may be any of theirs (the wait errors name the container).
      const how = service === 'alertmanager' ? ' (it comes up with the stack\'s exporters and image services)' : '';
      throw new FiredrillError('PROCESS_EXITED', `${service} container of ${compiled.system.name} did not start${how}: ${firstLines(error)}`, { cause: error });
    }
    if (id === undefined) throw new FiredrillError('PROCESS_EXITED', `${service} container of ${compiled.system.name} was not created by docker-compose`);
    return ContainerProcess.follow(service, id, path.join(launch.runDir, `${service}.log`));
  };

  return {
    provider: 'containers',
    alertmanager: () => monitoring('alertmanager'),
    prometheus: () => monitoring('prometheus'),
    partsStarted: () => parts.startRiders(),
    exporter: (exporter) => parts.exporter(exporter),
    // A service with an image runs in it; one without is a local process, as on the native stack.
    service: (service, serviceLaunch) => {
      const { image, command } = service;
      return image !== undefined && command !== undefined ? parts.service({ ...service, image, command }, serviceLaunch) : serviceProcess(service, serviceLaunch);
    },
    close: async () => {
      parts.abandon();
      // Side by side: each is its own project, and the stack is over either way.
      await Promise.all(projects.map(takeDown));
    },
  };
}

/**
 * A project's containers removed with their volumes, by the engine (each part was stopped, with
 * its grace, by the stack before); the CLI's removal if the engine's fails. An `up` still under
 * way when the stack stops creates its containers after: they are removed once it ends, and the
 * project stays tracked (removed on exit) until then.
 */
async function takeDown(project: StackProject): Promise<void> {
  const remove = () => removeProject(project.name).catch(() => removeProjectNow(project.name));
  await remove();
  void (project.up ?? Promise.resolve())
    .then(
      () => undefined,
      () => undefined,
    )
    .then(async () => {
      await remove();
      project.tracked.release();
    });
}

/** The id of a running container of a started environment, or undefined when it is not running. */
function idOf(started: StartedDockerComposeEnvironment, name: string): string | undefined {
  try {
    return started.getContainer(name).getId();
  } catch {
    return undefined;
  }
}

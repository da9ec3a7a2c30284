import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment } from 'testcontainers';
import type { CompiledSystem } from '../../compile/compile-system.ts';
import { FiredrillError } from '../../errors.ts';
import type { MonitoringLaunch, MonitoringLauncher, MonitoringProcess } from '../monitoring-launcher.ts';
import { projectContainers, projectName, removeProjectNow, trackComposeProject } from './compose-projects.ts';
import { firstLines } from './compose-project.ts';
import { ContainerProcess } from './container-process.ts';
import { LoopbackHttpWait, RunningWait } from './loopback-http-wait.ts';
import { execCommand } from './docker-cli.ts';

/** The compose file that describes a containers stack; shipped with the package, at its top level. */
export const COMPOSE_FILE = fileURLToPath(new URL('../../../docker-compose.test.yml', import.meta.url));
/** Seconds each container gets between its stop signal and docker's kill, on the way down. */
const DOWN_TIMEOUT_MS = 5_000;
/** Budget for a container to answer /-/ready after `up`, as for a local process. */
const READY_TIMEOUT_MS = 30_000;

export interface ComposeTools {
  /** docker-compose v1 (Debian's), driven by Testcontainers as a standalone executable. */
  readonly composePath: string;
  /** Image variables for docker-compose.test.yml: the caller's own, else the local builds. */
  readonly images: Readonly<Record<string, string>>;
  /** The containers' cgroup parent (see containerCgroupParent). */
  readonly cgroupParent?: string;
}

/**
 * Prometheus and Alertmanager of one stack as services of its own compose project, brought up by
 * Testcontainers one service at a time (Alertmanager beside the system's parts, Prometheus once
 * they answer, as on the native stack) and taken down with their volumes when the stack stops.
 */
export function composeLauncher(runDir: string, compiled: CompiledSystem, tools: ComposeTools): MonitoringLauncher {
  const project = projectName(compiled.system.name);
  const tracked = trackComposeProject(project);
  let started: StartedDockerComposeEnvironment | undefined;
  // Compose v1 names a container <project>_<service>_<n>; Testcontainers keeps that name.
  const containerName = (service: string) => `${project}_${service}_1`;

  const environmentFor = (launch: MonitoringLaunch) => ({
    FIREDRILL_RUN_DIR: runDir,
    FIREDRILL_ALERTMANAGER_PORT: String(launch.alertmanagerPort),
    FIREDRILL_PROMETHEUS_PORT: String(launch.prometheusPort),
    FIREDRILL_RESEND_DELAY: launch.resendDelay,
    // The run directory is this user's: the containers write into it as this user.
    FIREDRILL_UID: String(os.userInfo().uid),
    FIREDRILL_GID: String(os.userInfo().gid),
    ...(tools.cgroupParent === undefined ? {} : { FIREDRILL_CGROUP_PARENT: tools.cgroupParent }),
    ...tools.images,
  });

  const up = async (service: 'alertmanager' | 'prometheus', launch: MonitoringLaunch): Promise<MonitoringProcess> => {
    const environment = new DockerComposeEnvironment(path.dirname(COMPOSE_FILE), path.basename(COMPOSE_FILE))
      .withProjectName(project)
      .withEnvironment(environmentFor(launch))
      // No Ryuk reaper (its image cannot be pulled here): firedrill takes its projects down itself.
      .withAutoCleanup(false)
      .withClientOptions({ executable: { standalone: true, executablePath: tools.composePath } })
      .withDefaultWaitStrategy(new RunningWait())
      .withWaitStrategy(containerName('alertmanager'), new LoopbackHttpWait(launch.alertmanagerPort, '/-/ready'))
      .withWaitStrategy(containerName('prometheus'), new LoopbackHttpWait(launch.prometheusPort, '/-/ready'))
      .withStartupTimeout(READY_TIMEOUT_MS);
    try {
      started = await environment.up([service]);
    } catch (error) {
      throw new FiredrillError('PROCESS_EXITED', `${service} container of ${compiled.system.name} did not start: ${firstLines(error)}`, { cause: error });
    }
    // A container that exited at once (its port taken by another process between our pick and its
    // bind, as a local process's can be) is not among the running ones Testcontainers returns: it
    // is followed all the same, so that the readiness wait reports its exit and its last log line,
    // and a taken port makes the stack start again on fresh ports (seen in CI: "Cannot get
    // container ... as it is not running").
    const id = idOf(started, containerName(service)) ?? projectContainers(project, service)[0];
    if (id === undefined) throw new FiredrillError('PROCESS_EXITED', `${service} container of ${compiled.system.name} was not created by docker-compose`);
    return ContainerProcess.follow(service, id, path.join(runDir, `${service}.log`));
  };

  return {
    provider: 'containers',
    alertmanager: (launch) => up('alertmanager', launch),
    prometheus: (launch) => up('prometheus', launch),
    close: async () => {
      try {
        if (started) await started.down({ removeVolumes: true, timeout: DOWN_TIMEOUT_MS });
        else await execCommand(tools.composePath, ['--project-name', project, '--file', COMPOSE_FILE, 'down', '--volumes', '--timeout', '5'], { env: { FIREDRILL_RUN_DIR: runDir, FIREDRILL_ALERTMANAGER_PORT: '0', FIREDRILL_PROMETHEUS_PORT: '0' } });
      } catch {
        // the last resort below removes what is left
      }
      removeProjectNow(project);
      tracked.release();
    },
  };
}

/** The id of a running container of a started environment, or undefined when it is not running. */
function idOf(started: StartedDockerComposeEnvironment, name: string): string | undefined {
  try {
    return started.getContainer(name).getId();
  } catch {
    return undefined;
  }
}

import { execFileSync } from 'node:child_process';
import { testcontainers } from './testcontainers.ts';
import { onProcessExit } from '../../on-process-exit.ts';
import { processAlive } from '../process-tree.ts';

// Every compose project this process brought up, so that no exit path leaves a container: an
// orderly stop takes each down through Testcontainers; the 'exit' event (a crash, a second
// Ctrl-C) can only act synchronously, so it removes the projects' containers with the CLI.
const live = new Set<string>();
const removeAllNow = () => {
  for (const name of live) removeProjectNow(name);
};

export const PROJECT_LABEL = 'com.docker.compose.project';

export function trackComposeProject(project: string): { release(): void } {
  live.add(project);
  onProcessExit(removeAllNow);
  return { release: () => live.delete(project) };
}

/** The ids of every container, running or not, of a compose project (of one of its services, when named). */
export function projectContainers(project: string, service?: string): string[] {
  const byService = service === undefined ? [] : ['--filter', `label=com.docker.compose.service=${service}`];
  try {
    return execFileSync('docker', ['ps', '--all', '--quiet', '--filter', `label=${PROJECT_LABEL}=${project}`, ...byService], { encoding: 'utf8', timeout: 10_000 })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Removes a project's containers with their anonymous volumes, then its networks, at once. */
export function removeProjectNow(project: string): void {
  const ids = projectContainers(project);
  try {
    if (ids.length > 0) execFileSync('docker', ['rm', '--force', '--volumes', ...ids], { stdio: 'ignore', timeout: 20_000 });
    const networks = execFileSync('docker', ['network', 'ls', '--quiet', '--filter', `label=${PROJECT_LABEL}=${project}`], { encoding: 'utf8', timeout: 10_000 }).split('\n').filter(Boolean);
    if (networks.length > 0) execFileSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    // the engine is gone; nothing more can be done from here
  }
}

/**
 * Removes a project's containers with their anonymous volumes, then its networks, through the
 * engine's API: no docker-compose process (about half a CPU-second each, two projects per
 * containers stack) for a project whose containers were stopped already, as a stack's parts are.
 */
export async function removeProject(project: string): Promise<void> {
  const { dockerode } = (await (await testcontainers()).getContainerRuntimeClient()).container;
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const containers = await dockerode.listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => dockerode.getContainer(c.Id).remove({ force: true, v: true })));
  const networks = await dockerode.listNetworks({ filters });
  await Promise.all(networks.map((n) => dockerode.getNetwork(n.Id).remove()));
}

let projects = 0;

/**
 * A project's name: the system, then the pid of the firedrill process that owns it, then a number
 * no other project of this process has (a stack's monitoring and its compose services are two
 * projects of the same system: one name would make them one project).
 */
export function projectName(system: string, pid = process.pid, seq = ++projects): string {
  return `firedrill-${system.toLowerCase().replace(/[^a-z0-9]+/g, '')}-${pid}-${seq}`;
}

/**
 * Removes the containers of projects whose firedrill process is gone without taking them down (a
 * kill -9 leaves no exit path to run); other runs' live projects are left alone. Returns the
 * projects removed.
 */
export function sweepOrphanProjects(isAlive: (pid: number) => boolean = processAlive): string[] {
  let labels: string[];
  try {
    labels = execFileSync('docker', ['ps', '--all', '--filter', `label=${PROJECT_LABEL}`, '--format', `{{.Label "${PROJECT_LABEL}"}}`], { encoding: 'utf8', timeout: 10_000 }).split('\n');
  } catch {
    return [];
  }
  const orphans = [...new Set(labels.filter((l) => /^firedrill-[a-z0-9]*-\d+-\d+$/.test(l)))].filter((project) => {
    const pid = Number(project.split('-').at(-2));
    return pid !== process.pid && !isAlive(pid);
  });
  for (const project of orphans) removeProjectNow(project);
  return orphans;
}

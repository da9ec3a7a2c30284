import { execFileSync } from 'node:child_process';

// Every compose project this process brought up, so that no exit path leaves a container: an
// orderly stop takes each down through Testcontainers; the 'exit' event (a crash, a second
// Ctrl-C) can only act synchronously, so it removes the projects' containers with the CLI.
const live = new Set<string>();
let hooked = false;

export const PROJECT_LABEL = 'com.docker.compose.project';

export function trackComposeProject(project: string): { release(): void } {
  live.add(project);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const name of live) removeProjectNow(name);
    });
  }
  return { release: () => live.delete(project) };
}

/** The ids of every container, running or not, of a compose project. */
export function projectContainers(project: string): string[] {
  try {
    return execFileSync('docker', ['ps', '--all', '--quiet', '--filter', `label=${PROJECT_LABEL}=${project}`], { encoding: 'utf8', timeout: 10_000 })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Removes a project's containers and their anonymous volumes at once (host networking: there is no network to remove). */
export function removeProjectNow(project: string): void {
  const ids = projectContainers(project);
  if (ids.length === 0) return;
  try {
    execFileSync('docker', ['rm', '--force', '--volumes', ...ids], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    // the engine is gone; nothing more can be done from here
  }
}

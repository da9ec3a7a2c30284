import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_IMAGE } from './images.ts';
import { PROJECT_LABEL, projectContainers, projectName, removeProjectNow, sweepOrphanProjects } from './compose-projects.ts';

// Needs the Docker engine and the base image (`npm run images`), as the containers stack does.
const dead = projectName('Sweep Test', 999_999, 1);
const live = projectName('Sweep Test', 999_998, 1);
const create = (project: string) =>
  execFileSync('docker', ['create', '--label', `${PROJECT_LABEL}=${project}`, BASE_IMAGE, 'true'], { encoding: 'utf8' }).trim();

afterAll(() => {
  removeProjectNow(dead);
  removeProjectNow(live);
});

describe('compose projects left behind', () => {
  it('names a project after the system and the owning process', () => {
    expect(dead).toBe('firedrill-sweeptest-999999-1');
  });

  it('removes the containers of a project whose firedrill process is gone, and leaves a live process\'s alone', () => {
    create(dead);
    create(dead);
    const kept = create(live);
    // Only the made-up dead pid is dead: other projects on this engine (other test files') are live.
    const removed = sweepOrphanProjects((pid) => pid !== 999_999);
    expect(removed).toContain(dead);
    expect(removed).not.toContain(live);
    expect(projectContainers(dead)).toEqual([]);
    expect(projectContainers(live).map((id) => id.slice(0, 12))).toEqual([kept.slice(0, 12)]);
  });
});

import type { ContainerRuntimeClient } from 'testcontainers';
import { testcontainers } from './testcontainers.ts';

/** Dockerode's container, as Testcontainers' client hands it out (dockerode is its dependency, not ours). */
export type EngineContainer = ReturnType<ContainerRuntimeClient['container']['getById']>;

/**
 * A container through the engine's API (Testcontainers' client), for what a drill does to a
 * running container: kill, pause, start, inspect. Each docker CLI call starts a process, which on
 * a busy machine costs a second or more (seen in CI: a worker container's restart kept it down
 * 3.9 s against 1.1 s for the local process, and paged); an API call takes milliseconds.
 */
export async function engineContainer(id: string): Promise<EngineContainer> {
  const client = await (await testcontainers()).getContainerRuntimeClient();
  return client.container.getById(id);
}

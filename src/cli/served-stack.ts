// What `up` and `populate` share: the system a command names, and a stack served until Ctrl-C.
import type { LoadedConfig, ResolvedSystem } from '../config/load-config.ts';
import { badInput } from '../errors.ts';
import type { StartedStack } from '../stack/started-stack.ts';

/** The system named (the first in the config when none is), or a one-line error naming the known ones. */
export function systemNamed(config: LoadedConfig, name: string | undefined, command: string): ResolvedSystem {
  const system = name === undefined ? config.systems[0] : config.systems.find((s) => s.name === name);
  if (!system) throw badInput(`${command} ${name}: no system '${name}' in ${config.file}; known: ${config.systems.map((s) => s.name).join(', ')}`);
  return system;
}

/** Returns on Ctrl-C; throws what broke when a part of the stack crashes or hangs first. */
export async function serveUntilInterrupted(stack: StartedStack, interruption: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    interruption.addEventListener('abort', () => resolve(), { once: true });
    stack.health.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (stack.health.failure) throw stack.health.failure;
}

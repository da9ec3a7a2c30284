import type { ResolvedSystem } from '../config/resolved-system.ts';
import { resolveCommand } from '../config/which.ts';
import { FiredrillError } from '../errors.ts';
import { findStackBinaries } from './binaries.ts';
import { findPostgres, findRedisServer } from './dependencies/dependency-binaries.ts';
import { unprivilegedUser } from './dependencies/run-as.ts';
import { exporterBinary } from './exporters/exporter-process.ts';
import type { StackProviderName } from './started-stack.ts';

/**
 * Finds every program the system's stack will run here (Prometheus, Alertmanager, PostgreSQL,
 * Redis, exporters) before anything starts: a missing one is an exit-2 error naming the package.
 * On the containers stack, Prometheus, Alertmanager and the exporters are images, checked by the
 * provider's `prepare`.
 */
export function requireStackTools(system: ResolvedSystem, provider: StackProviderName = 'native'): void {
  const local = provider === 'native';
  if (local) findStackBinaries();
  if (system.dependencies.some((d) => d.type === 'postgres')) {
    findPostgres();
    unprivilegedUser();
  }
  if (system.dependencies.some((d) => d.type === 'redis')) findRedisServer();
  if (local) for (const exporter of system.exporters) exporterBinary(exporter.type);
  // A service with an image runs its command in that image on containers, and here on native.
  for (const service of system.services) {
    const command = service.command?.[0];
    if (local && service.image !== undefined && command !== undefined && !resolveCommand(command, system.configDir)) {
      throw new FiredrillError('BAD_INPUT', `services.${service.name}.command: command not found on this machine: ${command} (it runs in ${service.image} on --stack containers only); install it, or use --stack containers`);
    }
  }
}

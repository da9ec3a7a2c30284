import type { ResolvedSystem } from '../config/resolved-system.ts';
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
}

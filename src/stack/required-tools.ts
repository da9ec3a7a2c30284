import type { ResolvedSystem } from '../config/resolved-system.ts';
import { findStackBinaries } from './binaries.ts';
import { findPostgres, findRedisServer } from './dependencies/dependency-binaries.ts';
import { unprivilegedUser } from './dependencies/run-as.ts';
import { exporterBinary } from './exporters/exporter-process.ts';

/**
 * Finds every program the system's native stack will run (Prometheus, Alertmanager, PostgreSQL,
 * Redis, exporters) before anything starts: a missing one is an exit-2 error naming the package.
 */
export function requireStackTools(system: ResolvedSystem): void {
  findStackBinaries();
  if (system.dependencies.some((d) => d.type === 'postgres')) {
    findPostgres();
    unprivilegedUser();
  }
  if (system.dependencies.some((d) => d.type === 'redis')) findRedisServer();
  for (const exporter of system.exporters) exporterBinary(exporter.type);
}

import { metricsReadThrough } from '../compile/recording-rules.ts';
import { valueAndThreshold } from '../observe/promql-parts.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { PLANNED_DEPENDENCY, PLANNED_HOST, type PlannedPart } from './system-parts-plan.ts';

/** A fault a drill skeleton starts with, as source text, and why init picked it. */
export interface GuessedFault {
  readonly code: string;
  readonly why: string;
}

/**
 * The fault most likely to set an alert off, read from what its expression watches (through
 * recording rules): `up == 0` kills the job's part, `pg_up` stops the database, node_exporter
 * metrics load the simulated host past the threshold. Undefined when nothing obvious fits; the
 * skeleton then says what to add.
 */
export function guessFault(alert: CompiledRule, parts: readonly PlannedPart[], records: ReadonlyMap<string, string>): GuessedFault | undefined {
  const metrics = metricsReadThrough(alert.expr, records);
  const { threshold, direction } = valueAndThreshold(alert.expr);
  const limit = Number(/-?\d+(\.\d+)?/.exec(threshold)?.[0]);
  const past = (max: number) => (Number.isFinite(limit) && direction === 'above' ? Math.min(max, Math.round(limit + (max - limit) / 2)) : max);
  const has = (prefix: string) => metrics.some((m) => m.startsWith(prefix));

  if (metrics.includes('up')) {
    const job = /job\s*=\s*"([^"]+)"/.exec(alert.expr)?.[1];
    const part = parts.find((p) => p.job.name === job) ?? (parts.length === 1 ? parts[0] : undefined);
    if (part) return { code: `fault.kill('${part.name}')`, why: `${alert.alertname} watches up of job ${part.job.name}` };
  }
  if (metrics.includes('pg_up')) return { code: `fault.stop('${PLANNED_DEPENDENCY.postgres}')`, why: 'it watches pg_up' };
  if (metrics.includes('redis_up')) return { code: `fault.stop('${PLANNED_DEPENDENCY.redis}')`, why: 'it watches redis_up' };
  if (has('node_cpu_seconds')) return { code: `fault.cpu('${PLANNED_HOST}', ${past(100)})`, why: 'it watches node_cpu_seconds_total' };
  if (has('node_memory_')) return { code: `fault.memory('${PLANNED_HOST}', ${past(100)})`, why: 'it watches node_memory_*' };
  if (has('node_disk_')) return { code: `fault.diskIo('${PLANNED_HOST}', ${Number.isFinite(limit) ? Math.ceil(limit * 2) : 5000})`, why: 'it watches node_disk_*' };
  if (has('node_load')) return { code: `fault.load('${PLANNED_HOST}', ${Number.isFinite(limit) ? limit * 2 : 8})`, why: 'it watches node_load*' };
  return undefined;
}

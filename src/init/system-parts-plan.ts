import type { ScrapeJob } from './monitoring-files.ts';

/** What `init` proposes for one scrape job: a service to start, or an exporter firedrill runs. */
export type PlannedPart =
  | { readonly kind: 'service'; readonly name: string; readonly job: ScrapeJob }
  | { readonly kind: 'exporter'; readonly name: string; readonly job: ScrapeJob; readonly type: 'node' | 'postgres' | 'redis' };

/** The names init gives what the exporters read. */
export const PLANNED_DEPENDENCY = { postgres: 'db', redis: 'cache' } as const;
export const PLANNED_HOST = 'host';

/** The exporters' default ports: how a scrape job tells what it scrapes. */
const EXPORTER_PORTS: Readonly<Record<number, 'node' | 'postgres' | 'redis'>> = { 9100: 'node', 9187: 'postgres', 9121: 'redis' };
const EXPORTER_NAMES: readonly ['node' | 'postgres' | 'redis', RegExp][] = [
  ['node', /node[-_]?exporter|^node$/],
  ['postgres', /postgres|pg[-_]?exporter/],
  ['redis', /redis/],
];

/** Each job becomes a service (a TODO command) or, when it scrapes a known exporter, that exporter. */
export function planParts(jobs: readonly ScrapeJob[]): PlannedPart[] {
  const used = new Set<string>([PLANNED_DEPENDENCY.postgres, PLANNED_DEPENDENCY.redis, PLANNED_HOST]);
  return jobs.map((job) => {
    const type = (job.port !== undefined ? EXPORTER_PORTS[job.port] : undefined) ?? EXPORTER_NAMES.find(([, re]) => re.test(job.name))?.[0];
    const base = partName(job.name);
    let name = type ? `${type}-exporter` : base;
    for (let i = 2; used.has(name); i++) name = `${type ? `${type}-exporter` : base}-${i}`;
    used.add(name);
    return type ? { kind: 'exporter', name, job, type } : { kind: 'service', name, job };
  });
}

/** A job name made into a firedrill part name: lower-case words joined by dashes. */
function partName(job: string): string {
  const name = job.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(name) ? name : `svc-${name || 'job'}`;
}

import { exporterSources, scrapeTargets, type ResolvedSystem } from '../config/resolved-system.ts';
import type { CompiledSystem } from './compile-system.ts';
import { jobsNamedBy } from './job-matchers.ts';
import type { CompiledRule } from './rule-files.ts';

/**
 * The parts of the system whose faults can reach what an alert watches: the alert's scrape jobs
 * (from the `job` matchers of its parsed PromQL; none means all of them), the parts behind those
 * jobs, and what they depend on: a slow database reaches the API that queries it, a busy host the
 * node_exporter that reads it. A fault elsewhere cannot be the cause of the alert.
 */
export function faultTargetsWatchedBy(rule: CompiledRule, compiled: CompiledSystem): string[] {
  const watched = jobsWatchedBy(rule, compiled.system);
  const reach = jobsReachedByPart(compiled.system);
  return [...reach].filter(([, jobs]) => [...jobs].some((job) => watched.has(job))).map(([part]) => part);
}

/** The scrape jobs an alert's expression reads: those its `job` matchers name, or all of them when it names none. */
export function jobsWatchedBy(rule: CompiledRule, system: ResolvedSystem): Set<string> {
  const jobs = scrapeTargets(system).map((t) => t.job);
  return new Set(jobsNamedBy(rule.expr, jobs) ?? jobs);
}

/** Every part's name, with the jobs that scrape it itself: its own job, and those of the exporters that read or probe it. */
export function jobsScrapingPart(system: ResolvedSystem): Map<string, Set<string>> {
  const scraping = new Map(partNames(system).map((name) => [name, new Set<string>()]));
  for (const target of scrapeTargets(system)) scraping.get(target.name)?.add(target.job);
  for (const exporter of system.exporters) for (const source of exporterSources(exporter)) scraping.get(source)?.add(exporter.job);
  return scraping;
}

/** Every part's name, with the scrape jobs whose series its faults can change. */
export function jobsReachedByPart(system: ResolvedSystem): Map<string, Set<string>> {
  const reach = new Map<string, Set<string>>();
  const jobOf = new Map(scrapeTargets(system).map((t) => [t.name, t.job]));
  // Who waits on whom: a service on the dependencies it names, an HTTP dependency on its service.
  const dependents = new Map<string, string[]>();
  const edge = (upstream: string, dependent: string) => dependents.set(upstream, [...(dependents.get(upstream) ?? []), dependent]);
  for (const service of system.services) for (const dep of service.uses) edge(dep, service.name);
  for (const dep of system.dependencies) if (dep.type === 'http' && dep.service) edge(dep.service, dep.name);
  for (const exporter of system.exporters) for (const source of exporterSources(exporter)) edge(source, exporter.name);
  for (const part of partNames(system)) {
    const jobs = new Set<string>();
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const job = jobOf.get(name);
      if (job) jobs.add(job);
      for (const next of dependents.get(name) ?? []) visit(next);
    };
    visit(part);
    reach.set(part, jobs);
  }
  return reach;
}

/** Every part of the system a fault can name: services, exporters, dependencies and simulated hosts. */
function partNames(system: ResolvedSystem): string[] {
  return [...system.services, ...system.exporters, ...system.dependencies, ...system.hosts].map((part) => part.name);
}

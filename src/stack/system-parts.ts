import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ComposeServiceConfig } from '../config/define-config.ts';
import { expandDependencyReferences, exporterSources, type ResolvedService, type ResolvedSystem } from '../config/resolved-system.ts';
import { DependencyProxyDriver } from '../faults/dependency-proxy-driver.ts';
import type { FaultDriver, FaultDriverName } from '../faults/fault-driver.ts';
import { HostDriver } from '../faults/host-driver.ts';
import { SimulatedHost } from '../faults/host/simulated-host.ts';
import { ProcessFaultDriver } from '../faults/process-driver.ts';
import { startFaultProxyInHelper, startScrapeProxyInHelper } from '../faults/proxy/proxy-helper.ts';
import type { FaultProxy } from '../faults/proxy/proxy-fault.ts';
import { ScrapePathDriver } from '../faults/scrape-path-driver.ts';
import type { ScrapePathProxy } from '../faults/scrape/scrape-proxy.ts';
import { ServiceEndpointDriver, type CooperatingService } from '../faults/service-endpoint-driver.ts';
import { httpJson } from '../observe/http-json.ts';
import { startPostgres } from './dependencies/postgres-server.ts';
import { redisServer } from './dependencies/redis-server.ts';
import { DEFAULT_BLACKBOX_MODULES } from './exporters/exporter-process.ts';
import type { MonitoringLauncher } from './monitoring-launcher.ts';
import type { PartProcess, StackPart } from './stack-part.ts';
import { metricsAnswer } from './service-process.ts';
import { ComposeProject } from './containers/compose-project.ts';
import { ComposeService } from './containers/compose-service.ts';
import { ContainerFaultDriver } from '../faults/container-driver.ts';
import type { WatchedComponent } from './stack-watch.ts';
import { blackboxTimeoutOffsetS } from './exporters/exporter-invocation.ts';
import { tcpConnects } from './tcp-connect.ts';

export interface PartsContext {
  readonly runDir: string;
  readonly faultToken: string;
  /** A free loopback port, released when the stack stops. */
  readonly port: () => Promise<number>;
  /** Called with each stop action as soon as there is something to stop; run in reverse order. */
  readonly onStop: (stop: () => Promise<void>) => void;
  readonly signal: AbortSignal;
  /** Targets whose scrapes pass through a scrape proxy (they are faulted on the scrape path); 'all' for `up`. */
  readonly scrapeFaultTargets: ReadonlySet<string> | 'all';
  /** Makes the exporters and the services started from a command, as the stack's provider runs them. */
  readonly launcher: Pick<MonitoringLauncher, 'exporter' | 'service'>;
  /** Each job's scrape timeout as Prometheus will run it (scaled), wall milliseconds. */
  readonly scrapeTimeoutMs: (job: string) => number;
}

/** Everything of a system that firedrill runs besides Prometheus and Alertmanager, started and wired. */
export interface SystemParts {
  /** Every scrape target's address as Prometheus must scrape it (a scrape proxy's, when there is one), by job. */
  readonly scrapeAddresses: ReadonlyMap<string, string>;
  /** Base URL on 127.0.0.1 of each service, by service name. */
  readonly serviceUrls: ReadonlyMap<string, string>;
  /** For each probing job (blackbox_exporter): each probe target as prometheus.yml writes it, and the URL probed here. */
  readonly probeTargets: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly drivers: ReadonlyMap<FaultDriverName, FaultDriver>;
  /** What the stack watch checks, with `faulted` telling a drill's own doing from a crash. */
  watched(holds: (target: string) => boolean): WatchedComponent[];
  /** The current process of every part (a restart replaces it): for trouble during start, CPU and memory accounting. */
  processes(): PartProcess[];
  /** The main process of each running part, by part name. */
  pids(): ReadonlyMap<string, number>;
}

/**
 * Starts a system's parts in dependency order: simulated hosts, managed dependencies (PostgreSQL,
 * Redis), the fault proxies in front of dependencies, then services and exporters, then scrape
 * proxies. Every part is registered for stopping the moment it exists.
 */
export async function startSystemParts(system: ResolvedSystem, ctx: PartsContext): Promise<SystemParts> {
  const processes = new Map<string, StackPart>();
  const register = (name: string, p: StackPart) => {
    processes.set(name, p);
    ctx.onStop(() => p.stop());
  };

  const hosts = new Map<string, SimulatedHost>();
  for (const host of system.hosts) {
    const dir = path.join(ctx.runDir, `host-${host.name}`);
    mkdirSync(dir);
    // Registered before it exists: a stop that comes while it mounts waits for it, then unmounts.
    const creating = SimulatedHost.create(dir, { cpus: host.cpus, memoryBytes: host.memoryBytes });
    ctx.onStop(async () => (await creating.catch(() => undefined))?.stop());
    hosts.set(host.name, await creating);
  }

  // Ports first, so that proxies can point at services that are not up yet.
  const servicePorts = new Map<string, number>();
  for (const service of system.services) servicePorts.set(service.name, await ctx.port());
  const dependencyPorts = new Map<string, number>();
  const postgresDsns = new Map<string, string>();
  await Promise.all(
    system.dependencies.map(async (dep) => {
      if (dep.type === 'postgres') {
        const port = await ctx.port();
        dependencyPorts.set(dep.name, port);
        const started = await startPostgres(dep.name, dep, { port, runDir: ctx.runDir, signal: ctx.signal, onProcess: (p) => register(dep.name, p), onStop: ctx.onStop });
        // The exporter reads the first database: extensions such as pg_stat_statements live there.
        postgresDsns.set(dep.name, started.dsn(dep.databases?.[0]));
      } else if (dep.type === 'redis') {
        const port = await ctx.port();
        dependencyPorts.set(dep.name, port);
        const redis = redisServer(dep.name, { port, runDir: ctx.runDir });
        register(dep.name, redis);
        await redis.start(ctx.signal);
      } else if (dep.type === 'tcp') {
        dependencyPorts.set(dep.name, Number(dep.address.split(':')[1]));
      } else {
        dependencyPorts.set(dep.name, dep.service !== undefined ? servicePorts.get(dep.service)! : Number(new URL(dep.url!).port));
      }
    }),
  );

  const proxies = new Map<string, FaultProxy>();
  for (const name of new Set(system.services.flatMap((s) => s.uses))) {
    const dep = system.dependencies.find((d) => d.name === name)!;
    const upstreamPort = dependencyPorts.get(name)!;
    const proxy = await startFaultProxyInHelper(dep.type === 'http' ? 'http' : 'tcp', upstreamPort);
    ctx.onStop(() => proxy.stop());
    proxies.set(name, proxy);
  }

  const cooperating = new Map<string, CooperatingService>();
  const composeServices = new Map<string, ComposeService>();
  // One compose project per file the stack takes services from, down after every part stopped.
  const composeProjects = new Map<string, ComposeProject>();
  const projectFor = (file: string) => {
    let project = composeProjects.get(file);
    if (!project) {
      composeProjects.set(file, (project = new ComposeProject(file, system.name, ctx.runDir)));
      const created = project;
      ctx.onStop(() => created.remove());
    }
    return project;
  };
  // Ports first here too: services and exporters are made in one turn of the event loop, so that
  // a provider that starts them together (one compose `up`) has them all.
  const exporterPorts = new Map<string, number>();
  for (const exporter of system.exporters) exporterPorts.set(exporter.name, await ctx.port());
  const starts: Promise<void>[] = [];
  for (const service of system.services) {
    const port = servicePorts.get(service.name)!;
    const env = Object.fromEntries(
      Object.entries(service.env ?? {}).map(([key, value]) => [key, expandDependencyReferences(value, (dep) => ({ host: '127.0.0.1', port: proxies.get(dep)!.port }))]),
    );
    const p = service.compose ? composeService(service, service.compose, projectFor(service.compose.file), port, ctx, env) : ctx.launcher.service(service, { port, configDir: system.configDir, runDir: ctx.runDir, faultToken: ctx.faultToken, env });
    if (p instanceof ComposeService) composeServices.set(service.name, p);
    register(service.name, p);
    if (service.faultPath !== null) cooperating.set(service.name, { process: p, faultUrl: `http://127.0.0.1:${port}${service.faultPath}` });
    starts.push(handledLater(p.start(ctx.signal)));
  }
  const probeTargets = new Map<string, ReadonlyMap<string, string>>();
  for (const exporter of system.exporters) {
    const port = exporterPorts.get(exporter.name)!;
    const source =
      exporter.type === 'node'
        ? { nodeExporterArgs: hosts.get(exporter.host)!.nodeExporterArgs() }
        : exporter.type === 'postgres'
          ? { postgresDsn: postgresDsns.get(exporter.dependency)! }
          : exporter.type === 'redis'
            ? { redisPort: dependencyPorts.get(exporter.dependency)! }
            : { blackboxConfig: exporter.modules ?? writeDefaultModules(ctx.runDir, exporter.name), blackboxTimeoutOffsetS: blackboxTimeoutOffsetS(ctx.scrapeTimeoutMs(exporter.job)) };
    if (exporter.type === 'blackbox') {
      // Each probe target as prometheus.yml writes it, pointed at its service here, path and query kept.
      const targets = new Map(
        Object.entries(exporter.probes).map(([target, service]) => {
          const url = new URL(target);
          return [target, `${url.protocol}//127.0.0.1:${servicePorts.get(service)}${url.pathname}${url.search}`];
        }),
      );
      probeTargets.set(exporter.job, targets);
    }
    const p = ctx.launcher.exporter({ exporter, source, port });
    register(exporter.name, p);
    starts.push(handledLater(p.start(ctx.signal)));
  }
  await Promise.all(starts);

  const scrapeProxies = new Map<string, ScrapePathProxy>();
  const scrapeAddresses = new Map<string, string>();
  for (const target of [...system.services, ...system.exporters]) {
    const port = servicePorts.get(target.name) ?? exporterPorts.get(target.name)!;
    if (ctx.scrapeFaultTargets === 'all' || ctx.scrapeFaultTargets.has(target.name)) {
      const proxy = await startScrapeProxyInHelper(`http://127.0.0.1:${port}${target.metricsPath}`);
      ctx.onStop(() => proxy.stop());
      scrapeProxies.set(target.name, proxy);
      scrapeAddresses.set(target.job, `127.0.0.1:${proxy.port}`);
    } else {
      scrapeAddresses.set(target.job, `127.0.0.1:${port}`);
    }
  }

  const drivers = new Map<FaultDriverName, FaultDriver>([
    ['process', new ProcessFaultDriver(processes)],
    ['service-endpoint', new ServiceEndpointDriver(cooperating, ctx.faultToken)],
    ['dependency-proxy', new DependencyProxyDriver(proxies)],
    ['scrape-path', new ScrapePathDriver(scrapeProxies)],
    ['host', new HostDriver(hosts)],
    ['container', new ContainerFaultDriver(composeServices)],
  ]);

  const upstreamsOf = partDependencies(system);
  return {
    scrapeAddresses,
    probeTargets,
    serviceUrls: new Map([...servicePorts].map(([name, port]) => [name, `http://127.0.0.1:${port}`])),
    drivers,
    watched: (holds) =>
      [...processes].map(([name, p]): WatchedComponent => {
        const metricsPath = [...system.services, ...system.exporters].find((t) => t.name === name)?.metricsPath;
        return {
          name: p.name,
          logFile: p.process?.spec.logFile,
          exited: () => p.process?.troubleStory(),
          // Dependencies answer TCP; services and exporters their metrics endpoint.
          probe: (timeoutMs) => (metricsPath ? httpJson('GET', `http://127.0.0.1:${p.port}${metricsPath}`, { timeoutMs }).then(() => undefined) : tcpConnects(p.port, timeoutMs)),
          // A part the drill faulted, or one whose dependency it faulted, is not crashed or hung.
          faulted: () => holds(name) || (upstreamsOf.get(name) ?? []).some(holds),
        };
      }),
    processes: () => [...processes.values()].flatMap((p) => (p.process ? [p.process] : [])),
    pids: () => new Map([...processes].flatMap(([name, p]) => (p.process?.running && p.process.pid !== undefined ? [[name, p.process.pid] as const] : []))),
  };
}

/** What each part waits on: a service on the dependencies it names, an exporter on what it reads. */
export function partDependencies(system: ResolvedSystem): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const service of system.services) {
    const upstreamServices = service.uses.flatMap((dep) => {
      const d = system.dependencies.find((x) => x.name === dep);
      return d?.type === 'http' && d.service ? [d.service] : [];
    });
    out.set(service.name, [...service.uses, ...upstreamServices]);
  }
  for (const exporter of system.exporters) out.set(exporter.name, exporterSources(exporter));
  return out;
}

/** A service of the user's compose file, ready once its metrics endpoint answers 200 on its published port. */
function composeService(service: ResolvedService, compose: ComposeServiceConfig, project: ComposeProject, port: number, ctx: PartsContext, env: Record<string, string>): ComposeService {
  project.add({
    service: compose.service,
    hostPort: port,
    containerPort: compose.port,
    env,
    metricsPath: service.metricsPath,
    // Only a cooperating service gets the token, as a local one does.
    ...(service.faultPath === null ? {} : { faultToken: ctx.faultToken }),
  });
  return new ComposeService({
    name: `service ${service.name}`,
    service: compose.service,
    project,
    port,
    logFile: path.join(ctx.runDir, `service-${compose.service}.log`),
    probe: () => metricsAnswer(port, service.metricsPath),
  });
}

function writeDefaultModules(runDir: string, exporter: string): string {
  const file = path.join(runDir, `blackbox-${exporter}.yml`);
  writeFileSync(file, DEFAULT_BLACKBOX_MODULES);
  return file;
}

/**
 * A start awaited later, with `Promise.all`, after other parts are set up (which takes turns of
 * the event loop): one that fails before then must not end the process as an unhandled rejection
 * (a container can fail at once), so it is marked handled now; `Promise.all` still sees the failure.
 */
export function handledLater<T>(start: Promise<T>): Promise<T> {
  start.catch(() => undefined);
  return start;
}

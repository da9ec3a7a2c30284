import type { ResolvedSystem } from '../config/resolved-system.ts';
import { HOST_FAULT_KINDS, hostFaultProblems } from './host/host-fault.ts';
import { HTTP_PROXY_FAULT_KINDS, proxyFaultProblems, TCP_PROXY_FAULT_KINDS } from './proxy/proxy-fault.ts';
import { PROCESS_FAULT_KINDS, SCRAPE_FAULT_KINDS } from './fault-spec.ts';
import type { FaultDriverName } from './fault-driver.ts';

type Params = Readonly<Record<string, unknown>>;

/** One fault kind a target accepts: the driver that carries it out and its parameter check. */
export interface FaultKind {
  readonly driver: FaultDriverName;
  /** `params.<name>: what is wrong; what to write` per problem. */
  problems(params: Params): string[];
}

/** What can be done to one part of a system, by kind. */
export interface FaultTarget {
  readonly name: string;
  readonly part: 'service' | 'dependency' | 'exporter' | 'host';
  readonly kinds: ReadonlyMap<string, FaultKind>;
  /** Why a kind is missing that a user may expect here, for the error message. */
  readonly note?: string;
}

const SCRAPE_STATUS = { min: 400, max: 599 };
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Every fault target of a system and the kinds it accepts, from the config alone: scenarios are
 * checked against it before anything starts. Process and scrape-path kinds come first, so a
 * cooperating service's endpoint cannot shadow them.
 */
export function faultCatalogue(system: ResolvedSystem): ReadonlyMap<string, FaultTarget> {
  const targets = new Map<string, FaultTarget>();
  const add = (target: FaultTarget) => targets.set(target.name, target);
  const proxied = new Set(system.services.flatMap((s) => s.uses));

  for (const service of system.services) {
    const kinds = new Map([...processKinds(), ...scrapeKinds()]);
    if (service.compose) kinds.set('disconnect', { driver: 'container', problems: () => [] });
    if (service.faultPath !== null) {
      for (const kind of service.faults ?? []) if (!kinds.has(kind)) kinds.set(kind, { driver: 'service-endpoint', problems: () => [] });
    }
    add({ name: service.name, part: 'service', kinds, ...(service.faultPath === null ? { note: 'it has no fault endpoint: drill it from outside (process, scrape-path, its dependencies)' } : {}) });
  }
  for (const exporter of system.exporters) add({ name: exporter.name, part: 'exporter', kinds: new Map([...processKinds(), ...scrapeKinds()]) });
  for (const host of system.hosts) {
    add({ name: host.name, part: 'host', kinds: new Map(HOST_FAULT_KINDS.map((kind) => [kind, { driver: 'host', problems: (params: Params) => hostFaultProblems(kind, params) }] as const)) });
  }
  for (const dep of system.dependencies) {
    const managed = dep.type === 'postgres' || dep.type === 'redis';
    const kinds = new Map<string, FaultKind>(managed ? processKinds() : []);
    if (proxied.has(dep.name)) {
      const protocol = dep.type === 'http' ? 'http' : 'tcp';
      for (const kind of protocol === 'http' ? HTTP_PROXY_FAULT_KINDS : TCP_PROXY_FAULT_KINDS) {
        kinds.set(kind, { driver: 'dependency-proxy', problems: (params) => proxyFaultProblems(protocol, kind, params) });
      }
    }
    const note = proxied.has(dep.name)
      ? dep.type === 'http' && dep.service ? `process faults go to service '${dep.service}' itself` : undefined
      : `no service reaches it through firedrill's proxy; name it in a service's env as {{${dep.name}}} for network faults`;
    add({ name: dep.name, part: 'dependency', kinds, ...(note ? { note } : {}) });
  }
  return targets;
}

/** Every problem with one fault against the catalogue, each `<field>: what is wrong; what to do`. */
export function faultProblems(catalogue: ReadonlyMap<string, FaultTarget>, spec: { target: string; kind: string; params?: Params }, where: string): string[] {
  const target = catalogue.get(spec.target);
  if (!target) return [`${where}.target: nothing named '${spec.target}' to fault; known: ${[...catalogue.keys()].join(', ')}`];
  const kind = target.kinds.get(spec.kind);
  if (!kind) {
    const known = [...target.kinds.keys()];
    return [`${where}.kind: ${target.part} '${target.name}' has no fault '${spec.kind}'${target.note ? ` (${target.note})` : ''}; known: ${known.join(', ') || 'none'}`];
  }
  return kind.problems(spec.params ?? {}).map((p) => `${where}.${p}`);
}

function processKinds(): [string, FaultKind][] {
  return PROCESS_FAULT_KINDS.map((kind) => [kind, { driver: 'process', problems: (params: Params) => processParamProblems(kind, params) }]);
}

function scrapeKinds(): [string, FaultKind][] {
  return SCRAPE_FAULT_KINDS.map((kind) => [kind, { driver: 'scrape-path', problems: (params: Params) => scrapeParamProblems(kind, params) }]);
}

function processParamProblems(kind: string, params: Params): string[] {
  const allowed = kind === 'restart' ? ['gap', 'gapMs'] : [];
  const problems = unknownParams(params, allowed);
  if (kind === 'restart' && params.gap !== undefined && typeof params.gap !== 'string') problems.push("params.gap: write the restart's gap as a duration of rule time, like '30s'");
  return problems;
}

function scrapeParamProblems(kind: string, params: Params): string[] {
  const allowed = kind === 'scrape_error' ? ['status'] : kind === 'scrape_drop' ? ['family'] : [];
  const problems = unknownParams(params, allowed);
  if (kind === 'scrape_error' && params.status !== undefined) {
    const status = params.status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < SCRAPE_STATUS.min || status > SCRAPE_STATUS.max) {
      problems.push(`params.status: ${JSON.stringify(status)} is not an HTTP error status; use ${SCRAPE_STATUS.min}-${SCRAPE_STATUS.max}`);
    }
  }
  if (kind === 'scrape_drop' && (typeof params.family !== 'string' || !METRIC_NAME.test(params.family))) {
    problems.push(`params.family: ${JSON.stringify(params.family)} is not a metric family name; write one like 'http_requests_total'`);
  }
  return problems;
}

function unknownParams(params: Params, allowed: readonly string[]): string[] {
  return Object.keys(params)
    .filter((key) => !allowed.includes(key))
    .map((key) => `params.${key}: not a parameter of this fault; ${allowed.length > 0 ? `known: ${allowed.join(', ')}` : 'it takes none'}`);
}

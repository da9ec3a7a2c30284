import type { ComposeDocument } from '../../config/compose-service-check.ts';

/** One service taken from the file, and how this stack runs it. */
export interface IsolatedService {
  readonly service: string;
  /** The free port of 127.0.0.1 the service's port is published on. */
  readonly hostPort: number;
  /** The port it listens on inside its container. */
  readonly containerPort: number;
  /** Extra environment (the config's `env`), over the file's. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The user's compose file cut to the services a stack runs and what they `depends_on`, made to run
 * once per stack: the file's published ports and container names go (two stacks would clash on
 * them), each service's port is published on a free loopback port only, and no restart policy
 * undoes a kill fault. Relative paths stay as written: the project directory stays the user's.
 */
export function isolatedComposeDocument(doc: ComposeDocument, targets: readonly IsolatedService[], cgroupParent?: string): ComposeDocument {
  const services: Record<string, Record<string, unknown>> = {};
  const visit = (name: string) => {
    if (services[name]) return;
    const definition = { ...(doc.services?.[name] ?? {}) };
    delete definition.ports;
    delete definition.container_name;
    definition.restart = 'no';
    // A cgroup of its own, weighing what a process does when the CPU is short (containerCgroupParent).
    if (cgroupParent !== undefined) definition.cgroup_parent = cgroupParent;
    services[name] = definition;
    for (const dependency of dependsOn(definition.depends_on)) visit(dependency);
  };
  for (const target of targets) visit(target.service);
  for (const target of targets) {
    const definition = services[target.service]!;
    definition.ports = [`127.0.0.1:${target.hostPort}:${target.containerPort}`];
    if (target.env && Object.keys(target.env).length > 0) definition.environment = { ...environmentOf(definition.environment), ...target.env };
  }
  return {
    ...(doc.version === undefined ? {} : { version: doc.version }),
    services,
    ...(doc.volumes === undefined ? {} : { volumes: doc.volumes }),
    ...(doc.networks === undefined ? {} : { networks: doc.networks }),
  };
}

function dependsOn(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}

/** `environment` in either of compose's spellings (a list of KEY=value, or a mapping), as a mapping. */
function environmentOf(value: unknown): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((entry) => String(entry)).map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return {};
}

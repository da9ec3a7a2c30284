import type { ResolvedExporter } from '../../config/resolved-system.ts';

/**
 * One part of a stack as a compose service of the stack's project: a template of
 * docker-compose.test.yml (image, entrypoint, host networking, the run directory, the run user)
 * extended with what this stack runs in it.
 */
export interface StackContainer {
  /** Its name in the stack's compose project. */
  readonly service: string;
  /** The docker-compose.test.yml service it extends. */
  readonly template: string;
  /** Replaces the template's image (a service's own). */
  readonly image?: string;
  /** Replaces the template's entrypoint (a service's program). */
  readonly entrypoint?: readonly string[];
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Variables that reach the container through docker-compose's environment, never the file (the fault token). */
  readonly passedEnv?: readonly string[];
  /** Files outside the run directory it reads, mounted read-only at their own paths. */
  readonly readOnly?: readonly string[];
  /** Directories it works in, mounted read-write at their own paths. */
  readonly readWrite?: readonly string[];
  readonly workingDir?: string;
}

/** The template each exporter type extends, as docker-compose.test.yml names it. */
export function exporterTemplate(type: ResolvedExporter['type']): string {
  return `${type}-exporter`;
}

/** The template a service with an `image` extends. */
export const SERVICE_TEMPLATE = 'service';

/**
 * A compose service name for a part: `prefix-` and its name, in the characters compose allows; a
 * second part whose name maps to a taken one gets a number.
 */
export function containerServiceName(prefix: 'exporter' | 'service', name: string, taken: ReadonlySet<string>): string {
  const base = `${prefix}-${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/**
 * The second compose file of a stack that runs parts beside Prometheus and Alertmanager: one
 * service per part, each extending its template with the very arguments and environment the local
 * process gets. `$` is doubled (compose would read it as a variable), except in a variable passed
 * by reference.
 */
export function stackComposeDocument(templates: string, containers: readonly StackContainer[]): Record<string, unknown> {
  const literal = (value: string) => value.replaceAll('$', '$$$$');
  return {
    version: '2.4',
    services: Object.fromEntries(
      containers.map((c) => {
        const environment = {
          ...Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, literal(v)])),
          ...Object.fromEntries((c.passedEnv ?? []).map((k) => [k, `\${${k}}`])),
        };
        const volumes = [...(c.readOnly ?? []).map((f) => `${literal(f)}:${literal(f)}:ro`), ...(c.readWrite ?? []).map((d) => `${literal(d)}:${literal(d)}:rw`)];
        return [
          c.service,
          {
            extends: { file: templates, service: c.template },
            ...(c.image === undefined ? {} : { image: literal(c.image) }),
            ...(c.entrypoint === undefined ? {} : { entrypoint: c.entrypoint.map(literal) }),
            command: c.command.map(literal),
            ...(c.workingDir === undefined ? {} : { working_dir: literal(c.workingDir) }),
            ...(Object.keys(environment).length === 0 ? {} : { environment }),
            ...(volumes.length === 0 ? {} : { volumes }),
          },
        ];
      }),
    ),
  };
}

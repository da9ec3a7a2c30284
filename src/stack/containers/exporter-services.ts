import type { ResolvedExporter } from '../../config/resolved-system.ts';
import type { ExporterInvocation } from '../exporters/exporter-invocation.ts';

/** One exporter of a stack as a compose service: its type's template in docker-compose.test.yml, with this stack's arguments. */
export interface ExporterService {
  /** Its name in the stack's compose project. */
  readonly service: string;
  readonly type: ResolvedExporter['type'];
  readonly invocation: ExporterInvocation;
  /** Files outside the run directory it reads, mounted read-only at their own paths. */
  readonly files: readonly string[];
}

/** The template each exporter type extends, as docker-compose.test.yml names it. */
export function exporterTemplate(type: ResolvedExporter['type']): string {
  return `${type}-exporter`;
}

/**
 * The compose service name of an exporter: `exporter-` and its name, in the characters compose
 * allows; a second exporter whose name maps to a taken one gets a number.
 */
export function exporterServiceName(exporter: string, taken: ReadonlySet<string>): string {
  const base = `exporter-${exporter.replace(/[^a-zA-Z0-9._-]+/g, '-')}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * The second compose file of a stack that runs exporters: one service per exporter, each extending
 * its type's template (image, entrypoint, host networking, the run directory mounted, the run user)
 * with the very arguments and environment the local process gets. `$` is doubled: compose would
 * read it as a variable.
 */
export function exporterServicesDocument(templates: string, exporters: readonly ExporterService[]): Record<string, unknown> {
  const literal = (value: string) => value.replaceAll('$', '$$$$');
  return {
    version: '2.4',
    services: Object.fromEntries(
      exporters.map((e) => [
        e.service,
        {
          extends: { file: templates, service: exporterTemplate(e.type) },
          command: e.invocation.args.map(literal),
          ...(Object.keys(e.invocation.env).length === 0 ? {} : { environment: Object.fromEntries(Object.entries(e.invocation.env).map(([k, v]) => [k, literal(v)])) }),
          ...(e.files.length === 0 ? {} : { volumes: e.files.map((f) => `${literal(f)}:${literal(f)}:ro`) }),
        },
      ]),
    ),
  };
}

import { badInput } from '../errors.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { asList, asMap, relativeName, type YamlMap } from './yaml-file.ts';

// Alertmanager's defaults for the root route and global section.
const ROOT_ROUTE_DEFAULTS_MS = { group_wait: 30_000, group_interval: 300_000, repeat_interval: 14_400_000 } as const;
const DEFAULT_RESOLVE_TIMEOUT_MS = 300_000;
const ROUTE_TIMINGS = ['group_wait', 'group_interval', 'repeat_interval'] as const;

export interface RouteTiming {
  readonly path: string; // e.g. "route.routes[0]"
  readonly field: (typeof ROUTE_TIMINGS)[number];
  readonly scaledMs: number;
}

export interface ScaledAlertmanagerConfig {
  readonly source: string;
  readonly doc: YamlMap;
  readonly receivers: readonly string[];
  readonly timings: readonly RouteTiming[];
}

/** Scales route timings (root defaults made explicit) and `global.resolve_timeout`. */
export function scaleAlertmanagerConfig(file: string, doc: YamlMap, scale: number): ScaledAlertmanagerConfig {
  const where = relativeName(file);
  const global = asMap(doc.global, `${where}: global`);
  const resolveMs = global.resolve_timeout === undefined
    ? DEFAULT_RESOLVE_TIMEOUT_MS
    : parseDurationMs(String(global.resolve_timeout), `${where}: global.resolve_timeout`);
  const timings: RouteTiming[] = [];

  const scaleRoute = (raw: unknown, routePath: string, isRoot: boolean): YamlMap => {
    const route = { ...asMap(raw, `${where}: ${routePath}`) };
    for (const field of ROUTE_TIMINGS) {
      const value = route[field] ?? (isRoot ? formatDurationMs(ROOT_ROUTE_DEFAULTS_MS[field]) : undefined);
      if (value === undefined) continue;
      const scaledMs = parseDurationMs(String(value), `${where}: ${routePath}.${field}`) / scale;
      route[field] = formatDurationMs(scaledMs);
      timings.push({ path: routePath, field, scaledMs });
    }
    if (route.routes !== undefined) {
      route.routes = asList(route.routes, `${where}: ${routePath}.routes`).map((child, index) =>
        scaleRoute(child, `${routePath}.routes[${index}]`, false),
      );
    }
    return route;
  };

  if (doc.route === undefined) throw badInput(`${where}: route is missing; Alertmanager needs a root route`);
  const receivers = asList(doc.receivers, `${where}: receivers`).map((raw, index) => {
    const name = asMap(raw, `${where}: receivers[${index}]`).name;
    if (typeof name !== 'string') throw badInput(`${where}: receivers[${index}].name is missing`);
    return name;
  });
  return {
    source: file,
    doc: {
      ...doc,
      // Only resolve_timeout matters once every integration is a local webhook.
      global: { resolve_timeout: formatDurationMs(resolveMs / scale) },
      route: scaleRoute(doc.route, 'route', true),
    },
    receivers,
    timings,
  };
}

/**
 * Replaces every receiver's integrations with one webhook to firedrill's sink under the
 * receiver's own name, so routing is observable and no notification leaves the machine.
 */
export function wireAlertmanagerConfig(config: ScaledAlertmanagerConfig, sinkUrl: string): YamlMap {
  const { templates: _templates, ...doc } = config.doc;
  return {
    ...doc,
    receivers: config.receivers.map((name) => ({
      name,
      webhook_configs: [{ url: `${sinkUrl}/${encodeURIComponent(name)}`, send_resolved: true }],
    })),
  };
}

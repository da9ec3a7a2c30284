import path from 'node:path';
import type { CompiledRule } from '../compile/rule-files.ts';
import { formatDurationMs } from '../duration.ts';
import type { GuessedFault } from './guess-fault.ts';
import { PLANNED_DEPENDENCY, PLANNED_HOST, type PlannedPart } from './system-parts-plan.ts';

/** A file `init` writes, relative to the project. */
export interface ProjectFile {
  readonly path: string;
  readonly text: string;
}

export interface DrillSkeleton {
  readonly alert: CompiledRule;
  readonly receivers: readonly string[];
  readonly fault: GuessedFault | undefined;
  /** Every rule of the alert's name, itself included, when there are several (tiers: a warning and a critical `for`). */
  readonly tiers?: readonly CompiledRule[];
}

/**
 * Which of the tiers of its name a drill judges: the labels its rule fixes that tell it from the
 * others (`{ severity: 'critical' }`), and a file name of its own; with none that tell them apart,
 * every tier, held to the shortest `for` among them (a selector may mean any of them).
 */
function tierOf(drill: DrillSkeleton): { labels: Record<string, string>; suffix: string; fireAfterMs: number } {
  const tiers = drill.tiers ?? [];
  if (tiers.length < 2) return { labels: {}, suffix: '', fireAfterMs: drill.alert.forMs };
  const labels = Object.fromEntries(Object.entries(drill.alert.labels).filter(([k, v]) => tiers.some((t) => t !== drill.alert && t.labels[k] !== v)));
  if (Object.keys(labels).length > 0) return { labels, suffix: `-${kebab(Object.values(labels).join('-'))}`, fireAfterMs: drill.alert.forMs };
  return { labels: {}, suffix: `-${tiers.indexOf(drill.alert) + 1}`, fireAfterMs: Math.min(...tiers.map((t) => t.forMs)) };
}

/** `'APIDown'` or `'APIDown', { severity: 'critical' }`: expectAlert's arguments for the drill's tier. */
function selectorCode(alertname: string, labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? `'${alertname}'` : `'${alertname}', { ${entries.map(([k, v]) => `${key(k)}: '${v}'`).join(', ')} }`;
}

const FAULT_AT_MS = 60_000;
const MARGIN_MS = 120_000;
const MINUTE_MS = 60_000;

/** firedrill.config.ts for the parts init found, with a TODO wherever only the user knows the answer. */
export function renderConfig(options: { system: string; dir: string; prometheus: string; alertmanager: string; parts: readonly PlannedPart[] }): ProjectFile {
  const rel = (file: string) => path.relative(options.dir, file).split(path.sep).join('/');
  const services = options.parts.filter((p) => p.kind === 'service');
  const exporters = options.parts.filter((p) => p.kind === 'exporter');
  const types = new Set(exporters.map((e) => e.type));
  // The example names a dependency this config declares, so that it works as written.
  const envExample = types.has('postgres')
    ? `env: { DATABASE_URL: 'postgres://postgres@{{${PLANNED_DEPENDENCY.postgres}}}/app' }`
    : types.has('redis')
      ? `env: { REDIS_URL: 'redis://{{${PLANNED_DEPENDENCY.redis}}}' }`
      : `env: { DATABASE_URL: 'postgres://postgres@{{db}}/app' } with db: { type: 'postgres' } under dependencies`;
  const lines = [
    "import { defineConfig } from 'firedrill';",
    '',
    '// Written by `firedrill init`. Every TODO needs an answer only you have; `npx firedrill run` says what is missing.',
    'export default defineConfig({',
    '  systems: {',
    `    ${key(options.system)}: {`,
    `      prometheus: '${rel(options.prometheus)}',`,
    `      alertmanager: '${rel(options.alertmanager)}',`,
    '      services: {',
    ...services.flatMap((s) => [
      `        // TODO: the command that starts job '${s.job.name}' listening on 127.0.0.1:$PORT. Give it its`,
      `        // dependencies through firedrill's fault proxy, e.g. ${envExample}.`,
      `        ${key(s.name)}: { command: ['TODO-start-${s.name}'], job: '${s.job.name}'${s.job.metricsPath === '/metrics' ? '' : `, metricsPath: '${s.job.metricsPath}'`} },`,
    ]),
    '      },',
    ...(types.has('postgres') || types.has('redis')
      ? [
          '      dependencies: {',
          ...(types.has('postgres') ? [`        // TODO: your databases and schema, e.g. databases: ['app'], init: ['db/schema.sql']`, `        ${PLANNED_DEPENDENCY.postgres}: { type: 'postgres' },`] : []),
          ...(types.has('redis') ? [`        ${PLANNED_DEPENDENCY.redis}: { type: 'redis' },`] : []),
          '      },',
        ]
      : []),
    ...(exporters.length > 0
      ? [
          '      exporters: {',
          ...exporters.map((e) => {
            const source = e.type === 'node' ? `host: '${PLANNED_HOST}'` : `dependency: '${PLANNED_DEPENDENCY[e.type]}'`;
            return `        ${key(e.name)}: { type: '${e.type}', job: '${e.job.name}', ${source} },`;
          }),
          '      },',
        ]
      : []),
    ...(types.has('node') ? ['      // A host firedrill simulates for node_exporter: CPU, memory and disk faults harm nothing.', `      hosts: { ${PLANNED_HOST}: {} },`] : []),
    '    },',
    '  },',
    "  scenarios: 'scenarios',",
    '});',
    '',
  ];
  return { path: 'firedrill.config.ts', text: lines.join('\n') };
}

/** A baseline: healthy traffic long enough for every alert's windows and `for`, expecting none to fire. */
export function renderBaseline(system: string, alerts: readonly CompiledRule[], parts: readonly PlannedPart[]): ProjectFile {
  const longestMs = Math.max(0, ...alerts.map((a) => a.longestRangeMs + a.sharedOffsetMs + a.forMs));
  const lines = [
    "import { defineScenario, expectAlert } from 'firedrill';",
    '',
    '// Healthy traffic: no alert may fire. Written by `firedrill init`.',
    'export default defineScenario({',
    "  name: 'baseline',",
    `  system: '${system}',`,
    `  duration: '${minutes(longestMs + MARGIN_MS)}',`,
    ...trafficLines(parts),
    '  faults: [],',
    '  expect: [',
    ...alerts.map((a) => `    expectAlert('${a.alertname}').toNotFire(),`),
    '  ],',
    '});',
    '',
  ];
  return { path: 'scenarios/baseline.ts', text: lines.join('\n') };
}

/** One drill per alert: the guessed fault (or a TODO), expecting the alert to fire and reach the receiver routing picks. */
export function renderDrill(system: string, drill: DrillSkeleton, parts: readonly PlannedPart[]): ProjectFile {
  const tier = tierOf(drill);
  const name = `${kebab(drill.alert.alertname)}${tier.suffix}`;
  const selector = selectorCode(drill.alert.alertname, tier.labels);
  const holdMs = drill.alert.longestRangeMs + drill.alert.sharedOffsetMs + drill.alert.forMs + MARGIN_MS;
  const lines = [
    `import { defineScenario, expectAlert${drill.fault ? ', fault' : ''} } from 'firedrill';`,
    '',
    `// ${drill.alert.alertname} (${path.basename(drill.alert.file)}, group ${drill.alert.group}): ${drill.alert.expr.replace(/\s+/g, ' ').trim()}`,
    drill.fault ? `// Fault guessed by \`firedrill init\` because ${drill.fault.why}; adjust it to your system.` : '// TODO: the fault that sets this alert off (see the README: outside faults).',
    'export default defineScenario({',
    `  name: '${name}',`,
    `  system: '${system}',`,
    `  duration: '${minutes(FAULT_AT_MS + holdMs)}',`,
    ...trafficLines(parts),
    drill.fault ? `  faults: [{ at: '${formatDurationMs(FAULT_AT_MS)}', hold: '${minutes(holdMs)}', fault: ${drill.fault.code} }],` : '  faults: [],',
    '  expect: [',
    ...firingSpanLines(drill.alert, parts, selector, tier.fireAfterMs),
    ...drill.receivers.map((r) => `    expectAlert(${selector}).toNotify('${r}'), // the receiver Alertmanager's routing tree picks`),
    '  ],',
    '});',
    '',
  ];
  return { path: `scenarios/${name}.ts`, text: lines.join('\n') };
}

/**
 * The span from the fault to firing that today's rule keeps: no sooner than its `for` (a rule
 * changed to page sooner, a `for` shortened or removed, fails it) and by the deadline below (a rule
 * changed to page later, a longer `for` or an offset, fails it).
 */
function firingSpanLines(alert: CompiledRule, parts: readonly PlannedPart[], selector: string, fireAfterMs: number): string[] {
  const forText = formatDurationMs(alert.forMs);
  const deadline = `fireWithin: '${formatDurationMs(fireDeadlineMs(alert, parts))}'`;
  const floor = fireAfterMs === alert.forMs ? `its for (${forText})` : `the shortest for of its tiers (${formatDurationMs(fireAfterMs)})`;
  return [
    `    // What today's rule keeps: ${fireAfterMs > 0 ? `no sooner than ${floor}, and ` : ''}by its window ${formatDurationMs(alert.longestRangeMs)} + 2 scrapes + for ${forText} + 2 evaluations. A rule changed to page ${fireAfterMs > 0 ? 'sooner (a shorter for) or ' : ''}later (a longer for, an offset) fails it.`,
    `    expectAlert(${selector}).toFire({ ${fireAfterMs > 0 ? `fireAfter: '${formatDurationMs(fireAfterMs)}', ` : ''}${deadline} }),`,
  ];
}

/**
 * What the rule needs from a fault to firing as written today: its longest window and shared offset, two scrapes of
 * the slowest job, its `for` and two evaluations, rounded up to the next 30 s. Written into the
 * drill, it pins the timing a later edit of the rule could otherwise move unnoticed.
 */
function fireDeadlineMs(alert: CompiledRule, parts: readonly PlannedPart[]): number {
  const scrapeMs = Math.max(0, ...parts.map((p) => p.job.scrapeIntervalMs));
  // Two evaluations: the alert's own, and one of a recording rule it may read.
  const needMs = alert.longestRangeMs + alert.sharedOffsetMs + 2 * scrapeMs + alert.forMs + 2 * alert.scaledEvaluationIntervalMs;
  return Math.ceil(needMs / 30_000) * 30_000;
}

function trafficLines(parts: readonly PlannedPart[]): string[] {
  const services = parts.filter((p) => p.kind === 'service');
  if (services.length === 0) return ['  traffic: [],'];
  return [
    '  // TODO: your real endpoints; the metrics path keeps the skeleton runnable.',
    '  traffic: [',
    ...services.map((s) => `    { service: '${s.name}', rps: 10, requests: [{ method: 'GET', path: '${s.job.metricsPath}' }] },`),
    '  ],',
  ];
}

function key(name: string): string {
  return /^[a-zA-Z_$][\w$]*$/.test(name) ? name : `'${name}'`;
}

function kebab(alertname: string): string {
  return alertname
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function minutes(ms: number): string {
  return `${Math.ceil(ms / MINUTE_MS)}m`;
}

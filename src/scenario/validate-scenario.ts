import { z } from 'zod';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { describeZodIssue } from '../config/config-schema.ts';
import { parseDurationMs } from '../duration.ts';
import { badInput } from '../errors.ts';
import type { Scenario } from './define-scenario.ts';

const duration = z.string().min(1);
const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'scenario names are lower-case words joined by dashes'),
  system: z.string().min(1),
  description: z.string().optional(),
  duration,
  traffic: z.array(
    z.strictObject({
      service: z.string(),
      rps: z.number().positive().max(5_000),
      requests: z
        .array(z.strictObject({ method: z.enum(['GET', 'POST', 'PUT', 'DELETE']), path: z.string().startsWith('/'), weight: z.number().positive().optional(), body: z.string().optional() }))
        .min(1),
    }),
  ),
  faults: z.array(
    z.strictObject({
      at: duration,
      hold: duration.optional(),
      fault: z.strictObject({ target: z.string(), kind: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() }),
    }),
  ),
  expect: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('fires'), alert: z.string(), labels: z.record(z.string(), z.string()).optional(), detectWithin: duration.optional() }),
        z.strictObject({ kind: z.literal('doesNotFire'), alert: z.string() }),
        z.strictObject({ kind: z.literal('inhibitedBy'), alert: z.string(), source: z.string() }),
        z.strictObject({ kind: z.literal('notifies'), alert: z.string(), receiver: z.string() }),
        z.strictObject({ kind: z.literal('resolves'), alert: z.string() }),
      ]),
    )
    .min(1, 'a scenario must expect something'),
});

/** Checks a scenario against its system before anything starts; errors name the file and field. */
export function validateScenario(raw: unknown, file: string, systemsByName: ReadonlyMap<string, CompiledSystem>): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw badInput(`${file}: ${describeZodIssue(parsed.error)}`);
  const scenario = parsed.data as Scenario;
  const at = (field: string) => `${file}: ${field}`;
  const compiled = systemsByName.get(scenario.system);
  if (!compiled) throw badInput(`${at('system')}: no system '${scenario.system}' in firedrill.config.ts; known: ${[...systemsByName.keys()].join(', ')}`);
  const services = compiled.system.services.map((s) => s.name);
  const alerts = new Set(compiled.alerts.map((a) => a.alertname));
  const receivers = compiled.alertmanager.receivers;
  const durationMs = parseDurationMs(scenario.duration, at('duration'));

  scenario.traffic.forEach((t, i) => {
    if (!services.includes(t.service)) throw badInput(`${at(`traffic[${i}].service`)}: no service '${t.service}'; known: ${services.join(', ')}`);
  });
  scenario.faults.forEach((step, i) => {
    const where = at(`faults[${i}]`);
    if (!services.includes(step.fault.target)) throw badInput(`${where}.fault.target: no service '${step.fault.target}'; known: ${services.join(', ')}`);
    const startMs = parseDurationMs(step.at, `${where}.at`);
    const endMs = startMs + (step.hold === undefined ? 0 : parseDurationMs(step.hold, `${where}.hold`));
    if (endMs > durationMs) throw badInput(`${where}: ends at ${step.at}+${step.hold ?? '0s'}, after the scenario's duration ${scenario.duration}`);
  });
  scenario.expect.forEach((e, i) => {
    const where = at(`expect[${i}]`);
    const known = (name: string, field: string) => {
      if (!alerts.has(name)) throw badInput(`${where}.${field}: no alert '${name}' in the rules of system ${scenario.system}; known: ${[...alerts].join(', ')}`);
    };
    known(e.alert, 'alert');
    if (e.kind === 'inhibitedBy') known(e.source, 'source');
    if (e.kind === 'notifies' && !receivers.includes(e.receiver)) {
      throw badInput(`${where}.receiver: no receiver '${e.receiver}' in ${compiled.alertmanager.source}; known: ${receivers.join(', ')}`);
    }
    if (e.kind === 'fires' && e.detectWithin) parseDurationMs(e.detectWithin, `${where}.detectWithin`);
  });
  return scenario;
}

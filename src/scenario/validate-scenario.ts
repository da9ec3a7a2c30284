import { z } from 'zod';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { describeZodIssue } from '../config/config-schema.ts';
import { parseDurationMs } from '../duration.ts';
import { badInput } from '../errors.ts';
import type { Scenario } from './define-scenario.ts';
import { PROCESS_FAULT_KINDS } from '../faults/fault-spec.ts';

const duration = z.string().min(1);
const labels = z.record(z.string(), z.string()).optional();
const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'scenario names are lower-case words joined by dashes'),
  system: z.string().min(1),
  description: z.string().optional(),
  duration,
  traffic: z.array(
    z.strictObject({
      service: z.string(),
      rps: z.number().positive().max(5_000),
      ramp: z.array(z.strictObject({ over: duration, rps: z.number().min(0).max(5_000) })).optional(),
      minOkRatio: z.number().min(0).max(1).optional(),
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
        z.strictObject({ kind: z.literal('fires'), alert: z.string(), labels, detectWithin: duration.optional() }),
        z.strictObject({ kind: z.literal('doesNotFire'), alert: z.string(), labels }),
        z.strictObject({ kind: z.literal('inhibitedBy'), alert: z.string(), labels, source: z.string() }),
        z.strictObject({ kind: z.literal('notifies'), alert: z.string(), labels, receiver: z.string() }),
        z.strictObject({ kind: z.literal('resolves'), alert: z.string(), labels }),
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
    const rampMs = (t.ramp ?? []).reduce((sum, stage, j) => sum + parseDurationMs(stage.over, at(`traffic[${i}].ramp[${j}].over`)), 0);
    if (rampMs > durationMs) throw badInput(`${at(`traffic[${i}].ramp`)}: the stages last longer than the scenario's duration ${scenario.duration}`);
  });
  scenario.faults.forEach((step, i) => {
    const where = at(`faults[${i}]`);
    if (!services.includes(step.fault.target)) throw badInput(`${where}.fault.target: no service '${step.fault.target}'; known: ${services.join(', ')}`);
    const target = compiled.system.services.find((s) => s.name === step.fault.target)!;
    const kinds = [...PROCESS_FAULT_KINDS, ...(target.faultPath === null ? [] : (target.faults ?? []))];
    if (target.faults !== undefined && !kinds.includes(step.fault.kind)) {
      throw badInput(`${where}.fault.kind: service '${target.name}' has no fault '${step.fault.kind}'; known: ${kinds.join(', ')}`);
    }
    const startMs = parseDurationMs(step.at, `${where}.at`);
    const endMs = startMs + (step.hold === undefined ? 0 : parseDurationMs(step.hold, `${where}.hold`));
    if (endMs > durationMs) throw badInput(`${where}: ends at ${step.at}+${step.hold ?? '0s'}, after the scenario's duration ${scenario.duration}`);
  });
  scenario.expect.forEach((e, i) => {
    const where = at(`expect[${i}]`);
    const known = (name: string, field: string) => {
      if (!alerts.has(name)) throw badInput(`${where}.${field}: no alert '${name}' in the rules of system ${scenario.system}; known: ${[...alerts].sort().join(', ')}`);
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

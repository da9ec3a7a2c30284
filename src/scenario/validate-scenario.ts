import { z } from 'zod';
import type { CompiledSystem } from '../compile/compile-system.ts';
import { describeZodIssues } from '../config/describe-issues.ts';
import type { CompiledRule } from '../compile/rule-files.ts';
import { fixedLabels, rulesOfSelector } from '../compile/rule-of-series.ts';
import { relativeName } from '../compile/yaml-file.ts';
import { selectorName } from '../expect/expectation.ts';
import { faultTargetsWatchedBy } from '../compile/watched-targets.ts';
import { mayInhibit } from '../gate/inhibit-link.ts';
import { formatDurationMs, parseDurationMs } from '../duration.ts';
import { badInput, describeError } from '../errors.ts';
import type { Scenario } from './define-scenario.ts';
import { faultCatalogue, faultProblems } from '../faults/fault-catalogue.ts';

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
        z.strictObject({ kind: z.literal('fires'), alert: z.string(), labels, detectWithin: duration.optional(), fireWithin: duration.optional(), fireAfter: duration.optional() }),
        z.strictObject({ kind: z.literal('doesNotFire'), alert: z.string(), labels }),
        z.strictObject({ kind: z.literal('inhibitedBy'), alert: z.string(), labels, source: z.string() }),
        z.strictObject({ kind: z.literal('notifies'), alert: z.string(), labels, receiver: z.union([z.string(), z.array(z.string()).min(1)]), notifyWithin: duration.optional() }),
        z.strictObject({ kind: z.literal('resolves'), alert: z.string(), labels, resolveWithin: duration.optional() }),
        z.strictObject({ kind: z.literal('mayFire'), alert: z.string(), labels }),
      ]),
    )
    .min(1, 'a scenario must expect something'),
});

/**
 * Checks a scenario against its system before anything starts. Every problem is collected, as
 * promtool does, and reported in one line, each naming the file and field.
 */
export function validateScenario(raw: unknown, file: string, systemsByName: ReadonlyMap<string, CompiledSystem>): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw badInput(`${file}: ${describeZodIssues(parsed.error, scenarioSchema, raw)}`);
  const scenario = parsed.data as Scenario;
  const at = (field: string) => `${file}: ${field}`;
  const compiled = systemsByName.get(scenario.system);
  if (!compiled) throw badInput(`${at('system')}: no system '${scenario.system}' in firedrill.config.ts; known: ${[...systemsByName.keys()].join(', ')}`);
  const problems: string[] = [];
  // A duration that does not parse is one more problem, not the end of the check.
  const ms = (text: string, where: string): number | undefined => {
    try {
      return parseDurationMs(text, where);
    } catch (error) {
      problems.push(describeError(error));
      return undefined;
    }
  };
  const services = compiled.system.services.map((s) => s.name);
  const alerts = new Set(compiled.alerts.map((a) => a.alertname));
  const receivers = compiled.alertmanager.receivers;
  const durationMs = ms(scenario.duration, at('duration')) ?? Infinity;

  scenario.traffic.forEach((t, i) => {
    if (!services.includes(t.service)) problems.push(`${at(`traffic[${i}].service`)}: no service '${t.service}'; known: ${services.join(', ')}`);
    const rampMs = (t.ramp ?? []).reduce((sum, stage, j) => sum + (ms(stage.over, at(`traffic[${i}].ramp[${j}].over`)) ?? 0), 0);
    if (rampMs > durationMs) problems.push(`${at(`traffic[${i}].ramp`)}: the stages last longer than the scenario's duration ${scenario.duration}`);
  });
  const catalogue = faultCatalogue(compiled.system);
  scenario.faults.forEach((step, i) => {
    const where = at(`faults[${i}]`);
    problems.push(...faultProblems(catalogue, step.fault, `${where}.fault`));
    const gap = step.fault.params?.gap;
    if (step.fault.kind === 'restart' && typeof gap === 'string') ms(gap, `${where}.fault.params.gap`);
    const startMs = ms(step.at, `${where}.at`) ?? 0;
    const endMs = startMs + (step.hold === undefined ? 0 : (ms(step.hold, `${where}.hold`) ?? 0));
    if (endMs > durationMs) problems.push(`${where}: ends at ${step.at}+${step.hold ?? '0s'}, after the scenario's duration ${scenario.duration}`);
  });
  scenario.expect.forEach((e, i) => {
    const where = at(`expect[${i}]`);
    const known = (name: string, field: string) => {
      if (alerts.has(name)) return true;
      problems.push(`${where}.${field}: no alert '${name}' in the rules of system ${scenario.system}; known: ${[...alerts].sort().join(', ')}`);
      return false;
    };
    known(e.alert, 'alert');
    if (e.kind === 'inhibitedBy') known(e.source, 'source');
    const unknown = e.kind === 'notifies' ? (typeof e.receiver === 'string' ? [e.receiver] : e.receiver).find((r) => !receivers.includes(r)) : undefined;
    if (unknown !== undefined) {
      problems.push(`${where}.receiver: no receiver '${unknown}' in ${compiled.alertmanager.source}; known: ${receivers.join(', ')}`);
    }
    if (e.kind === 'fires' && e.detectWithin) ms(e.detectWithin, `${where}.detectWithin`);
    if (e.kind === 'fires') {
      const within = e.fireWithin === undefined ? undefined : ms(e.fireWithin, `${where}.fireWithin`);
      const after = e.fireAfter === undefined ? undefined : ms(e.fireAfter, `${where}.fireAfter`);
      if (after !== undefined && within !== undefined && after >= within) {
        problems.push(`${where}.fireAfter: ${e.fireAfter} is not shorter than fireWithin ${e.fireWithin}, which leaves the firing no time to land in; fireAfter is the earliest the alert may fire (at most its for), fireWithin the latest`);
      }
    }
    if (e.kind === 'resolves' && e.resolveWithin) ms(e.resolveWithin, `${where}.resolveWithin`);
    if (e.kind === 'notifies' && e.notifyWithin) ms(e.notifyWithin, `${where}.notifyWithin`);
  });
  if (problems.length > 0) throw badInput(problems.join('; '));
  return scenario;
}

/**
 * An expectation whose outcome the rules as compiled settle before the drill runs (it cannot fail,
 * or cannot hold), or that no drill at the compiled scale can judge, and why.
 */
export interface VacuousExpectation {
  readonly index: number;
  readonly reason: string;
}

/**
 * The expectations of a valid scenario whose outcome its system's rules settle before it runs: a
 * `toNotFire()` that cannot fail, a `toFire()` that cannot hold. `run` refuses them before anything
 * starts; the gate, which judges a change of the rules, fails them instead, naming the alert (a
 * rule changed so that a drill can no longer test it is a regression).
 */
export function vacuousExpectations(scenario: Scenario, compiled: CompiledSystem): VacuousExpectation[] {
  const durationMs = parseDurationMs(scenario.duration, 'duration');
  return scenario.expect.flatMap((e, index) => {
    const clockBound = clockBoundVerdict(e, compiled);
    if (clockBound) return [{ index, reason: clockBound }];
    // Every rule of the name the selector may mean (the tiers of one alert): settled only when it is settled for each.
    const rules = rulesOfSelector(compiled.alerts, e.alert, e.labels ?? {});
    const named = compiled.alerts.filter((a) => a.alertname === e.alert);
    // A rule's labels overwrite the series' own: a selector every rule of the name contradicts matches nothing.
    if (rules.length === 0 && named.length > 0 && e.kind !== 'mayFire') {
      const sets = [...new Set(named.map((a) => selectorName({ alert: '', labels: fixedLabels(a) }) || '{}'))].join(', ');
      return [{ index, reason: `${selectorName(e)} can match no series: the rules of ${e.alert} set ${sets}, and a rule's labels overwrite the series' own; select labels they set` }];
    }
    const earlier = e.kind === 'fires' ? forBeforeFireAfter(rules, e.fireAfter) : undefined;
    if (earlier) return [{ index, reason: earlier }];
    const reasonFor = (rule: CompiledRule) =>
      e.kind === 'doesNotFire'
        ? vacuousNotFire(rule, scenario, durationMs, compiled.scale)
        : e.kind === 'fires'
          ? (unfaultedFire(rule, scenario, compiled) ?? deadlineBeforeFor(rule, e.fireWithin))
          : e.kind === 'notifies' && e.notifyWithin !== undefined
            ? deadlineBeforeFor(rule, e.notifyWithin, 'toNotify', 'notifyWithin')
          : e.kind === 'inhibitedBy'
            ? unlinkedInhibition(e.alert, e.source, compiled)
            : e.kind === 'resolves'
              ? deadlineBeforeKeepFiring(rule, e.resolveWithin)
              : undefined;
    const reasons = rules.map(reasonFor);
    const [reason] = reasons;
    return reason && reasons.every((r) => r !== undefined) ? [{ index, reason }] : [];
  });
}

/**
 * An expectation on a rule that reads the clock in a way no rewrite scales (`hour()`, a clock time
 * against a number, `cert_expiry - time()`): above scale 1 the wall clock runs `scale` times slower
 * than the drill's rule time, so its verdict would not mean what it means in production. Only the
 * drills that judge such a rule are held to scale 1; the rule itself runs as written in every stack.
 */
function clockBoundVerdict(e: Scenario['expect'][number], compiled: CompiledSystem): string | undefined {
  if (compiled.scale === 1 || e.kind === 'mayFire') return undefined;
  const own = rulesOfSelector(compiled.alerts, e.alert, e.labels ?? {});
  // Whether a page goes out also rests on what may inhibit it: a source firing on the wall clock mutes it at the wrong times.
  const inhibitors = e.kind === 'notifies' ? compiled.alerts.filter((source) => own.some((target) => mayInhibit(compiled.alertmanager.doc, source, target))) : [];
  const judged = [...own, ...(e.kind === 'inhibitedBy' ? compiled.alerts.filter((a) => a.alertname === e.source) : []), ...inhibitors];
  const rule = judged.find((r) => r.clockReads.length > 0);
  if (!rule) return undefined;
  const scale = compiled.scale;
  return `${rule.alertname} cannot be judged at scale ${scale}: its rule reads the clock (${rule.clockReads[0]}), which runs ${scale} times slower than rule time at scale ${scale}; firedrill scales an age (time() - x, time() - timestamp(x)) but not this: write the rule as an age, or run this scenario with --scale 1`;
}

/** `toBeInhibitedBy()` that cannot hold: no inhibit rule can mute the target by the source (inhibit-link.ts). */
function unlinkedInhibition(target: string, source: string, compiled: CompiledSystem): string | undefined {
  const rulesOf = (name: string) => compiled.alerts.filter((a) => a.alertname === name);
  const sources = rulesOf(source);
  if (sources.length === 0) return undefined; // an unknown source is refused by validateScenario
  if (sources.some((s) => rulesOf(target).some((t) => mayInhibit(compiled.alertmanager.doc, s, t)))) return undefined;
  return `${target} toBeInhibitedBy('${source}') cannot hold: no inhibit rule in ${compiled.alertmanager.source} can mute ${target} while ${source} fires (by their names and their rules' fixed labels); add one, or expect ${target}'s own notifications instead`;
}

/**
 * `toFire()` that cannot hold: the scenario faults nothing the rule watches, and the verdict counts
 * only a firing after such a fault (evaluate-expectations.ts, from the same watched targets).
 */
function unfaultedFire(rule: CompiledRule, scenario: Scenario, compiled: CompiledSystem): string | undefined {
  const watched = faultTargetsWatchedBy(rule, compiled);
  if (scenario.faults.some((f) => watched.includes(f.fault.target))) return undefined;
  if (watched.length === 0) {
    // Most often a service's `job` that is not the scrape job its rules select (a typo).
    return `${rule.alertname} toFire() cannot hold: it watches no part of system ${compiled.system.name} (no service or exporter has the job its expression selects); check the job: of each part in firedrill.config.ts against ${relativeName(compiled.prometheus.source)}`;
  }
  const faulted = scenario.faults.length === 0 ? 'the scenario has no fault' : `the scenario faults only ${[...new Set(scenario.faults.map((f) => f.fault.target))].join(', ')}`;
  return `${rule.alertname} toFire() cannot hold: ${faulted}, and only a firing after a fault on what it watches (${watched.join(', ')}) counts; add such a fault, or expect toNotFire()`;
}

/**
 * `toFire({ fireWithin })` or `toNotify(r, { notifyWithin })` that cannot hold: the rule's `for`
 * alone outlasts the deadline (a `for` raised past what the pager is owed).
 */
function deadlineBeforeFor(rule: CompiledRule, deadline: string | undefined, matcher = 'toFire', field = 'fireWithin'): string | undefined {
  if (deadline === undefined || rule.forMs <= parseDurationMs(deadline, field)) return undefined;
  const what = matcher === 'toFire' ? 'fires' : 'fires, and so notifies,';
  return `${rule.alertname} ${matcher}(${matcher === 'toFire' ? '' : '..., '}{ ${field}: '${deadline}' }) cannot hold: its for is ${formatDurationMs(rule.forMs)} (${relativeName(rule.file)}, group ${rule.group}), so it ${what} no sooner than that after its fault; shorten the for, or raise ${field} if the pager may wait that long`;
}

/**
 * `toFire({ fireAfter })` that a rule does not keep: a `for` shorter than fireAfter (shortened,
 * removed, or a tier of the alertname with a shorter one) lets it fire sooner, as soon as the
 * fault shows, and only the `for` is a floor a healthy rule keeps exactly; detection time varies.
 * Settled from the rules, so a `for` cut below what the scenario holds it to fails on any machine.
 */
function forBeforeFireAfter(rules: readonly CompiledRule[], fireAfter: string | undefined): string | undefined {
  if (fireAfter === undefined || rules.length === 0) return undefined;
  const rule = rules.reduce((a, b) => (b.forMs < a.forMs ? b : a));
  if (rule.forMs >= parseDurationMs(fireAfter, 'fireAfter')) return undefined;
  const tiers = rules.length > 1 ? ` (the shortest of the ${rules.length} rules of that name the selector may mean; select one with its labels)` : '';
  return `${rule.alertname} toFire({ fireAfter: '${fireAfter}' }) cannot be relied on: its for is ${formatDurationMs(rule.forMs)} (${relativeName(rule.file)}, group ${rule.group})${tiers}, so it may fire as soon as its fault shows, sooner than ${fireAfter}; restore the for, or lower fireAfter to it`;
}

/** `toResolve({ resolveWithin })` that cannot hold: the rule keeps firing longer than the deadline after its condition clears. */
function deadlineBeforeKeepFiring(rule: CompiledRule, resolveWithin: string | undefined): string | undefined {
  if (resolveWithin === undefined || rule.keepFiringForMs <= parseDurationMs(resolveWithin, 'resolveWithin')) return undefined;
  return `${rule.alertname} toResolve({ resolveWithin: '${resolveWithin}' }) cannot hold: its keep_firing_for is ${formatDurationMs(rule.keepFiringForMs)} (${relativeName(rule.file)}, group ${rule.group}), so it resolves no sooner than that after its fault is repaired; shorten keep_firing_for, or raise resolveWithin if the page may stay open that long`;
}

/**
 * `toNotFire()` that cannot fail: the drill leaves the rule less time than it needs to fire at
 * all (its longest range, its `for` and one evaluation) after the first fault, or in a drill
 * without faults at all. Such an expectation would pass whatever the rule did.
 */
function vacuousNotFire(rule: CompiledRule, scenario: Scenario, durationMs: number, scale: number): string | undefined {
  const firstFaultMs = scenario.faults.length === 0 ? 0 : Math.min(...scenario.faults.map((f) => parseDurationMs(f.at, 'at')));
  const evaluationMs = rule.scaledEvaluationIntervalMs * scale;
  const needMs = rule.longestRangeMs + rule.sharedOffsetMs + rule.forMs + evaluationMs;
  const offset = rule.sharedOffsetMs > 0 ? ` + offset ${formatDurationMs(rule.sharedOffsetMs)}` : '';
  const spanMs = durationMs - firstFaultMs;
  if (spanMs >= needMs) return undefined;
  const span = scenario.faults.length === 0 ? `the drill lasts ${formatDurationMs(spanMs)}` : `${formatDurationMs(spanMs)} of the drill follow its first fault`;
  return `${rule.alertname} toNotFire() cannot fail: ${span}, and the rule needs ${formatDurationMs(needMs)} to fire (range ${formatDurationMs(rule.longestRangeMs)}${offset} + for ${formatDurationMs(rule.forMs)} + one evaluation ${formatDurationMs(evaluationMs)}); make the scenario at least ${formatDurationMs(firstFaultMs + needMs)} long`;
}

// Fourteen regressions of the Piyasa config, each aimed at a different alert, applied to the
// documents the gate compiles, as if the user had edited the files (the fixture files are never touched). Shared by the mutation test
// (all of them in one gate run, inside CI's budget) and scripts/mutation-gate.ts (one gate run each).
import type { CompiledMutations } from '../src/compile/compile-system.ts';
import type { YamlMap } from '../src/compile/yaml-file.ts';

type Rule = { alert?: string; expr: string; for?: string; keep_firing_for?: string };

type InhibitRule = { source_match?: Record<string, string>; equal?: string[] };
type Route = { match?: Record<string, string>; receiver: string };

const rulesOf = (doc: YamlMap) => ((doc.groups as { rules: Rule[] }[] | undefined) ?? []).flatMap((g) => g.rules);
const inhibitRulesOf = (doc: YamlMap) => doc.inhibit_rules as InhibitRule[];

export interface Mutation {
  readonly name: string;
  /** The alert whose verdict the mutation must break, and the only one. */
  readonly breaks: string;
  readonly what: string;
  readonly apply: CompiledMutations;
}

const editRule = (alert: string, edit: (rule: Rule) => void): CompiledMutations => ({
  ruleFile: (doc) => {
    for (const rule of rulesOf(doc)) if (rule.alert === alert) edit(rule);
    return doc;
  },
});

const editAlertmanager = (edit: (doc: YamlMap) => void): CompiledMutations => ({
  alertmanager: (doc) => {
    edit(doc);
    return doc;
  },
});

export const PIYASA_MUTATIONS: readonly Mutation[] = [
  {
    name: 'thresholdRaised',
    breaks: 'HighAPIErrorRate',
    what: '> 0.05 becomes > 0.95: cannot fire at 17% errors',
    apply: editRule('HighAPIErrorRate', (rule) => (rule.expr = rule.expr.replace(') > 0.05', ') > 0.95'))),
  },
  {
    name: 'forBeyondScenario',
    breaks: 'SlowDatabaseQueries',
    what: 'for 10m becomes 60m: longer than the scenario',
    apply: editRule('SlowDatabaseQueries', (rule) => (rule.for = '60m')),
  },
  {
    name: 'inhibitionEqualChanged',
    breaks: 'LLMProviderFailure',
    what: 'CircuitBreakerOpen -> .*Failure on equal [provider], a label the source lacks',
    apply: editAlertmanager((doc) => {
      for (const r of inhibitRulesOf(doc)) if (r.source_match?.alertname === 'CircuitBreakerOpen') r.equal = ['provider'];
    }),
  },
  {
    name: 'inhibitionDeleted',
    breaks: 'HighAPILatency',
    what: 'APIDown -> HighAPILatency removed',
    apply: editAlertmanager((doc) => {
      doc.inhibit_rules = inhibitRulesOf(doc).filter((r) => r.source_match?.alertname !== 'APIDown');
    }),
  },
  {
    name: 'metricRenamedInRule',
    breaks: 'LowCacheHitRate',
    what: 'cache_hits_total -> cache_hit_total in the rule',
    apply: editRule('LowCacheHitRate', (rule) => (rule.expr = rule.expr.replaceAll('cache_hits_total', 'cache_hit_total'))),
  },
  {
    name: 'severityMisrouted',
    breaks: 'LowMessageThroughput',
    what: 'severity info routed to warnings',
    apply: editAlertmanager((doc) => {
      for (const route of (doc.route as { routes: Route[] }).routes) if (route.match?.severity === 'info') route.receiver = 'warnings';
    }),
  },
  {
    name: 'metricDropped',
    breaks: 'TelegramRateLimitHit',
    what: "telegram_429_count dropped from the worker's scrape",
    apply: {
      prometheus: (doc) => {
        for (const job of doc.scrape_configs as { job_name: string; metric_relabel_configs?: unknown[] }[]) {
          if (job.job_name === 'piyasa-chatbot-worker') job.metric_relabel_configs = [{ source_labels: ['__name__'], regex: 'telegram_429_count', action: 'drop' }];
        }
        return doc;
      },
    },
  },
  // The three classes a fresh, quiet, instant stack used to let through.
  {
    name: 'comparisonReversed',
    breaks: 'HighLLMErrorRate',
    what: '> 0.15 becomes < 0.15 in a ratio rule: fires on every healthy provider',
    apply: editRule('HighLLMErrorRate', (rule) => (rule.expr = rule.expr.replace(') > 0.15', ') < 0.15'))),
  },
  {
    name: 'windowLengthened',
    breaks: 'WorkerNoMessages',
    what: '[5m] becomes [1h] (12x): an hour of history holds messages, so a stall never empties it',
    apply: editRule('WorkerNoMessages', (rule) => (rule.expr = rule.expr.replace('[5m]', '[1h]'))),
  },
  // Timing a rule keeps with itself: only a deadline the scenario writes down catches them. Both
  // outlast their deadline by themselves, so the verdict is settled from the rules, whatever the
  // machine's speed (a for raised by less than the detection time would be caught only by as much).
  {
    name: 'forRaised',
    breaks: 'DatabaseConnectionPoolExhausted',
    what: 'for 5m becomes 6m30s: fires its own for after pending, inside the drill, but past the 6m page deadline',
    apply: editRule('DatabaseConnectionPoolExhausted', (rule) => (rule.for = '6m30s')),
  },
  {
    name: 'keepFiringAdded',
    breaks: 'CircuitBreakerOpen',
    what: 'keep_firing_for: 3m added: resolves after the repair, as before, but past the 2m resolution deadline',
    apply: editRule('CircuitBreakerOpen', (rule) => (rule.keep_firing_for = '3m')),
  },
  // Firing too soon, which no check of a rule against itself sees: the scenario's fireAfter does.
  // A for shorter than fireAfter is settled from the rules, before the drill, on any machine.
  {
    name: 'forDropped',
    breaks: 'APIDown',
    what: "APIDown's for: 1m removed: one failed scrape pages, sooner than the scenario's fireAfter: '1m'",
    apply: editRule('APIDown', (rule) => delete rule.for),
  },
  // A page held back by routing: only the scenario's notifyWithin sees it, since the page still
  // reaches the right receiver while the alert fires.
  {
    name: 'groupWaitRaised',
    breaks: 'HighMessageGenerationLatency',
    what: 'a route added for HighMessageGenerationLatency waits 10m before its first page: past the scenario\'s notifyWithin: \'14m\'',
    apply: editAlertmanager((doc) => {
      const route = doc.route as { routes: (Route & { group_wait?: string })[] };
      route.routes = [{ match: { alertname: 'HighMessageGenerationLatency' }, receiver: 'warnings', group_wait: '10m' }, ...route.routes];
    }),
  },
  {
    name: 'forRemoved',
    breaks: 'WorkerDown',
    what: "WorkerDown's for: 2m removed: a routine restart pages",
    apply: editRule('WorkerDown', (rule) => delete rule.for),
  },
];

/** Applies every mutation's edits in turn, file by file. */
export function combineMutations(mutations: readonly Mutation[]): CompiledMutations {
  const chain =
    <A extends unknown[]>(pick: (m: CompiledMutations) => ((doc: YamlMap, ...rest: A) => YamlMap) | undefined) =>
    (doc: YamlMap, ...rest: A) =>
      mutations.reduce((d, m) => pick(m.apply)?.(d, ...rest) ?? d, doc);
  return {
    ruleFile: chain((m) => m.ruleFile),
    alertmanager: chain((m) => m.alertmanager),
    prometheus: chain((m) => m.prometheus),
  };
}

// Static coverage of the fixture scenarios: every alert rule of every system is made to fire
// and to reach the receiver its severity routes to, and every inhibit rule is exercised.
// (The scenario runs in scenarios.test.ts prove that those expectations hold.)
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { loadScenarios } from '../src/scenario/load-scenarios.ts';

const config = await loadConfig('firedrill.config.ts');
const compiled = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const scenarios = (await loadScenarios(config.scenariosDir, compiled)).map((l) => l.scenario);

describe.each(config.systems.map((s) => [s.name, s] as const))('system %s', (name, system) => {
  const rules = compiled.get(name)!.alerts;
  const amConfig = parse(readFileSync(system.alertmanager, 'utf8')) as {
    route: { routes: { match?: Record<string, string>; receiver: string }[] };
    inhibit_rules?: { source_match?: Record<string, string>; target_match?: Record<string, string>; target_match_re?: Record<string, string> }[];
  };
  const routes = amConfig.route.routes;
  const receiverFor = (severity: string | undefined) => routes.find((r) => r.match?.severity === severity)?.receiver;
  const mine = scenarios.filter((s) => s.system === name);

  it.each(rules.map((r) => [r.alertname, r] as const))('%s is made to fire and to notify its severity receiver', (alertname, rule) => {
    const receiver = receiverFor(rule.labels.severity);
    expect(receiver, `${alertname}: no route for severity ${rule.labels.severity}`).toBeDefined();
    const covering = mine.filter(
      (s) => s.expect.some((e) => e.kind === 'fires' && e.alert === alertname) && s.expect.some((e) => e.kind === 'notifies' && e.alert === alertname && e.receiver === receiver),
    );
    expect(covering.map((s) => s.name), `${alertname} (${rule.labels.severity} -> ${receiver})`).not.toEqual([]);
  });

  it.each((amConfig.inhibit_rules ?? []).map((r, i) => [i, r] as const))('inhibit rule %i is exercised by an inhibitedBy expectation', (_i, rule) => {
    const source = rule.source_match?.alertname;
    const targets = (alert: string) =>
      rule.target_match?.alertname === alert || (rule.target_match_re?.alertname !== undefined && new RegExp(`^(?:${rule.target_match_re.alertname})$`).test(alert));
    const exercising = mine.filter((s) => s.expect.some((e) => e.kind === 'inhibitedBy' && e.source === source && targets(e.alert)));
    expect(exercising.map((s) => s.name), JSON.stringify(rule)).not.toEqual([]);
  });

  it('the baseline expects every alert not to fire', () => {
    const baseline = mine.find((s) => s.name === 'baseline')!;
    const quiet = baseline.expect.filter((e) => e.kind === 'doesNotFire').map((e) => e.alert);
    expect(quiet.sort()).toEqual(rules.map((r) => r.alertname).sort());
  });
});

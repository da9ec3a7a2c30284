// Static coverage of the fixture scenarios: every alert rule of every system is made to fire
// and to reach the receiver Alertmanager's own routing tree picks for its labels (asked of
// amtool), and every inhibit rule is exercised. (The gate's runs prove that those expectations hold.)
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { toInhibitRule } from '../src/gate/inhibit-link.ts';
import { contractScenarioOf } from '../src/gate/run-gate.ts';
import { routeReceivers } from '../src/init/route-receivers.ts';
import { loadScenarios } from '../src/scenario/load-scenarios.ts';

const config = await loadConfig('firedrill.config.ts');
const compiled = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const loaded = await loadScenarios(config.scenariosDir, compiled);
const scenarios = loaded.map((l) => l.scenario);

describe.each(config.systems.map((s) => [s.name, s] as const))('system %s', (name, system) => {
  const rules = compiled.get(name)!.alerts;
  const labelsOf = (alertname: string) => ({ ...rules.find((r) => r.alertname === alertname)?.labels, alertname });
  const amConfig = parse(readFileSync(system.alertmanager, 'utf8')) as { inhibit_rules?: Record<string, unknown>[] };
  const mine = scenarios.filter((s) => s.system === name);

  it.each(rules.map((r) => [r.alertname, r] as const))('%s is made to fire and to notify the receiver its route picks', (alertname, rule) => {
    const receivers = routeReceivers(system.alertmanager, { ...rule.labels, alertname });
    expect(receivers.length, `${alertname}: no receiver`).toBeGreaterThan(0);
    const covering = mine.filter(
      (s) => s.expect.some((e) => e.kind === 'fires' && e.alert === alertname) && s.expect.some((e) => e.kind === 'notifies' && e.alert === alertname && (typeof e.receiver === 'string' ? [e.receiver] : e.receiver).every((r) => receivers.includes(r))),
    );
    expect(covering.map((s) => s.name), `${alertname} (-> ${receivers.join(', ')})`).not.toEqual([]);
  });

  it.each((amConfig.inhibit_rules ?? []).map((r, i) => [i, r] as const))('inhibit rule %i is exercised by an inhibitedBy expectation', (_i, doc) => {
    const rule = toInhibitRule(doc);
    const exercising = mine.filter((s) => s.expect.some((e) => e.kind === 'inhibitedBy' && rule.source(labelsOf(e.source)) && rule.target(labelsOf(e.alert))));
    expect(exercising.map((s) => s.name), JSON.stringify(doc)).not.toEqual([]);
  });

  it('its baseline (the first drill without faults) expects every alert not to fire', () => {
    const baselineName = contractScenarioOf(name, loaded);
    const baseline = mine.find((s) => s.name === baselineName);
    expect(baseline, `${name} has no drill without faults`).toBeDefined();
    const quiet = baseline!.expect.filter((e) => e.kind === 'doesNotFire').map((e) => e.alert);
    expect(quiet.sort()).toEqual(rules.map((r) => r.alertname).sort());
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../compile/compile-system.ts';
import { resolveConfig } from '../config/load-config.ts';
import config from '../../firedrill.config.ts';
import apiOutage from '../../scenarios/api-outage.ts';
import { expectAlert } from '../expect/expectation.ts';
import { fault } from '../faults/fault-spec.ts';
import { vacuousExpectations, validateScenario } from './validate-scenario.ts';

const loaded = resolveConfig(config, path.resolve('firedrill.config.ts'));
const systems = new Map(loaded.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const check = (scenario: unknown) => () => validateScenario(scenario, 'scenarios/x.ts', systems);

describe('validateScenario', () => {
  it('accepts the api-outage scenario', () => {
    expect(validateScenario(apiOutage, 'scenarios/api-outage.ts', systems).name).toBe('api-outage');
  });

  it('rejects a typo in an alert name before anything starts, listing the known alerts', () => {
    const typo = { ...apiOutage, expect: [{ kind: 'fires', alert: 'APIDwon' }] };
    expect(check(typo)).toThrow("scenarios/x.ts: expect[0].alert: no alert 'APIDwon' in the rules of system piyasa; known: APIDown, CircuitBreakerOpen, DatabaseConnectionPoolExhausted, HighAPIErrorRate, HighAPILatency, HighLLMErrorRate, HighMessageGenerationLatency, LLMProviderFailure, LowCacheHitRate, LowMessageThroughput, SlowDatabaseQueries, TelegramRateLimitHit, WorkerDown, WorkerNoMessages");
  });

  it('rejects an unknown receiver', () => {
    const typo = { ...apiOutage, expect: [{ kind: 'notifies', alert: 'APIDown', receiver: 'critical' }] };
    expect(check(typo)).toThrow("scenarios/x.ts: expect[0].receiver: no receiver 'critical' in");
  });

  it('rejects a fault on an unknown service and a fault that outlives the scenario', () => {
    expect(check({ ...apiOutage, faults: [{ at: '1m', fault: { target: 'db', kind: 'kill' } }] })).toThrow(
      "scenarios/x.ts: faults[0].fault.target: nothing named 'db' to fault; known: api, worker",
    );
    expect(check({ ...apiOutage, faults: [{ at: '10m', hold: '5m', fault: { target: 'api', kind: 'kill' } }] })).toThrow(
      "scenarios/x.ts: faults[0]: ends at 10m+5m, after the scenario's duration 10m",
    );
  });

  it('rejects a fault kind the target service does not implement, listing the ones it does', () => {
    expect(check({ ...apiOutage, faults: [{ at: '1m', fault: { target: 'api', kind: 'latancy', params: { ms: 5 } } }] })).toThrow(
      "scenarios/x.ts: faults[0].fault.kind: service 'api' has no fault 'latancy'; known: kill, stop, pause, restart, scrape_timeout, scrape_error, scrape_drop, latency, error_ratio, db_pool_in_use, slow_queries, cache_miss_ratio, metrics_failure",
    );
  });

  it('rejects a label selector on an expectation only when it is malformed, and a ramp longer than the scenario', () => {
    expect(check({ ...apiOutage, expect: [{ kind: 'fires', alert: 'APIDown', labels: { service: 1 } }] })).toThrow('scenarios/x.ts: expect[0].labels.service');
    const ramp = { ...apiOutage, traffic: [{ ...apiOutage.traffic[0]!, ramp: [{ over: '11m', rps: 40 }] }] };
    expect(check(ramp)).toThrow("scenarios/x.ts: traffic[0].ramp: the stages last longer than the scenario's duration 10m");
  });

  it('rejects unknown fields, as promtool does', () => {
    expect(check({ ...apiOutage, expcet: [] })).toThrow('scenarios/x.ts: (top level): unknown key "expcet" (did you mean "expect"?)');
  });

  it('rejects a bad duration, naming the field', () => {
    expect(check({ ...apiOutage, duration: '11 minutes' })).toThrow("scenarios/x.ts: duration: '11 minutes' is not a duration; write it like '30s', '5m' or '1h30m'");
    expect(check({ ...apiOutage, expect: [expectAlert('APIDown').toFire({ fireWithin: '2 min' }), expectAlert('APIDown').toResolve({ resolveWithin: 'soon' })] })).toThrow(
      "scenarios/x.ts: expect[0].fireWithin: '2 min' is not a duration; write it like '30s', '5m' or '1h30m'; scenarios/x.ts: expect[1].resolveWithin: 'soon' is not a duration",
    );
  });

  it('rejects a fireAfter that leaves fireWithin no span, and takes one that does', () => {
    expect(check({ ...apiOutage, expect: [expectAlert('APIDown').toFire({ fireAfter: '1m', fireWithin: '2m' })] })).not.toThrow();
    expect(check({ ...apiOutage, expect: [expectAlert('APIDown').toFire({ fireAfter: '2m', fireWithin: '2m' })] })).toThrow(
      'scenarios/x.ts: expect[0].fireAfter: 2m is not shorter than fireWithin 2m, which leaves the firing no time to land in',
    );
    expect(check({ ...apiOutage, expect: [expectAlert('APIDown').toFire({ fireAfter: 'a minute' })] })).toThrow("scenarios/x.ts: expect[0].fireAfter: 'a minute' is not a duration");
  });
});

describe('vacuousExpectations', () => {
  const piyasa = systems.get('piyasa')!;
  it('names a toFire() that cannot hold: the scenario faults nothing the rule watches', () => {
    const workerOnly = { ...apiOutage, faults: [{ at: '1m', hold: '6m', fault: fault.kill('worker') }], expect: [expectAlert('APIDown').toFire(), expectAlert('WorkerDown').toFire()] };
    expect(vacuousExpectations(workerOnly, piyasa)).toEqual([
      { index: 0, reason: "APIDown toFire() cannot hold: the scenario faults only worker, and only a firing after a fault on what it watches (api) counts; add such a fault, or expect toNotFire()" },
    ]);
    expect(vacuousExpectations({ ...workerOnly, faults: [] }, piyasa)[0]!.reason).toMatch(/^APIDown toFire\(\) cannot hold: the scenario has no fault, /);
    expect(vacuousExpectations(apiOutage, piyasa)).toEqual([]);
  });

  it("says a toFire() cannot hold because the rule watches no part of the system: a part's job mistyped", () => {
    const mistyped = { ...piyasa, system: { ...piyasa.system, services: piyasa.system.services.map((s) => (s.name === 'api' ? { ...s, job: 'piyasa-chatbot-apii' } : s)) } };
    const [down] = vacuousExpectations({ ...apiOutage, expect: [expectAlert('APIDown').toFire()] }, mistyped);
    expect(down!.reason).toBe(
      'APIDown toFire() cannot hold: it watches no part of system piyasa (no service or exporter has the job its expression selects); check the job: of each part in firedrill.config.ts against fixtures/piyasa/prometheus.yml',
    );
  });

  it('settles an expectation on an alert of several tiers only when it is settled for every tier its selector may mean', () => {
    // A second APIDown, a warning tier that watches the worker: a kill of the worker can fire that one.
    const workerDown = piyasa.alerts.find((a) => a.alertname === 'WorkerDown')!;
    const tiered = { ...piyasa, alerts: [...piyasa.alerts, { ...workerDown, alertname: 'APIDown', labels: { ...workerDown.labels, severity: 'warning' } }] };
    const workerOnly = { ...apiOutage, faults: [{ at: '1m', hold: '6m', fault: fault.kill('worker') }], expect: [expectAlert('APIDown').toFire(), expectAlert('APIDown', { severity: 'critical' }).toFire()] };
    expect(vacuousExpectations(workerOnly, tiered).map((v) => v.index)).toEqual([1]);
    expect(vacuousExpectations(workerOnly, piyasa).map((v) => v.index)).toEqual([0, 1]);
  });

  it("names a selector every rule of the alert contradicts, whatever the expectation (a rule's labels overwrite the series')", () => {
    const paging = { ...apiOutage, expect: [expectAlert('APIDown', { severity: 'page' }).toFire(), expectAlert('APIDown', { severity: 'page' }).toNotFire(), expectAlert('APIDown', { severity: 'page' }).toMayFire()] };
    const reason = 'APIDown{severity="page"} can match no series: the rules of APIDown set {service="api",severity="critical"}, and a rule\'s labels overwrite the series\' own; select labels they set';
    expect(vacuousExpectations(paging, piyasa)).toEqual([{ index: 0, reason }, { index: 1, reason }]);
    // labels no rule sets (the expression's own) can match, and are left to the drill
    expect(vacuousExpectations({ ...apiOutage, expect: [expectAlert('APIDown', { instance: 'api:8000' }).toFire()] }, piyasa)).toEqual([]);
  });

  it('names every expectation on a rule that reads the clock above scale 1, and only those: the rule runs as written, the drills that judge it need --scale 1', () => {
    const apiDown = piyasa.alerts.find((a) => a.alertname === 'APIDown')!;
    // APIDown paging only in working hours: hour() is the wall clock's, 40 times slower than the drill's rule time.
    const clocked = { ...piyasa, alerts: piyasa.alerts.map((a) => (a === apiDown ? { ...a, clockReads: ['hour()'] } : a)) };
    const scenario = { ...apiOutage, expect: [expectAlert('APIDown').toFire(), expectAlert('HighAPILatency').toBeInhibitedBy('APIDown'), expectAlert('HighAPILatency').toFire(), expectAlert('APIDown').toMayFire()] };
    const reason = "APIDown cannot be judged at scale 40: its rule reads the clock (hour()), which runs 40 times slower than rule time at scale 40; firedrill scales an age (time() - x, time() - timestamp(x)) but not this: write the rule as an age, or run this scenario with --scale 1";
    expect(vacuousExpectations(scenario, clocked)).toEqual([{ index: 0, reason }, { index: 1, reason }]);
    expect(vacuousExpectations(scenario, { ...clocked, scale: 1 })).toEqual([]);
    expect(vacuousExpectations(scenario, piyasa)).toEqual([]);
    // HighAPILatency's page goes out or not as APIDown (its inhibitor) fires: that too reads the wall clock.
    const notify = { ...apiOutage, expect: [expectAlert('HighAPILatency').toNotify('warnings'), expectAlert('WorkerDown').toNotify('critical-alerts')] };
    expect(vacuousExpectations(notify, clocked)).toEqual([{ index: 0, reason }]);
    expect(vacuousExpectations(notify, piyasa)).toEqual([]);
  });

  it("names a toFire({ fireWithin }) shorter than the rule's for, and a toResolve({ resolveWithin }) shorter than its keep_firing_for", () => {
    // APIDown: for 1m, no keep_firing_for.
    const scenario = { ...apiOutage, expect: [expectAlert('APIDown').toFire({ fireWithin: '2m' }), expectAlert('APIDown').toFire({ fireWithin: '50s' }), expectAlert('APIDown').toResolve({ resolveWithin: '10s' })] };
    expect(vacuousExpectations(scenario, piyasa)).toEqual([
      { index: 1, reason: expect.stringMatching(/^APIDown toFire\(\{ fireWithin: '50s' \}\) cannot hold: its for is 1m \(fixtures\/piyasa\/rules\/service_health\.yml, group service_health\), so it fires no sooner than that after its fault; shorten the for, or raise fireWithin/) },
    ]);
    // The same rule kept firing for 10m after it clears (a keep_firing_for added) cannot resolve within 10s.
    const kept = { ...piyasa, alerts: piyasa.alerts.map((a) => (a.alertname === 'APIDown' ? { ...a, keepFiringForMs: 600_000 } : a)) };
    expect(vacuousExpectations(scenario, kept).map((v) => v.index)).toEqual([1, 2]);
    expect(vacuousExpectations(scenario, kept)[1]!.reason).toMatch(/^APIDown toResolve\(\{ resolveWithin: '10s' \}\) cannot hold: its keep_firing_for is 10m /);
  });

  it("names a toFire({ fireAfter }) longer than the rule's for: a for cut below it (or a tier with a shorter one) may fire sooner, on any machine", () => {
    const scenario = { ...apiOutage, expect: [expectAlert('APIDown').toFire({ fireAfter: '1m' }), expectAlert('APIDown').toFire({ fireAfter: '2m' })] };
    expect(vacuousExpectations(scenario, piyasa)).toEqual([
      { index: 1, reason: "APIDown toFire({ fireAfter: '2m' }) cannot be relied on: its for is 1m (fixtures/piyasa/rules/service_health.yml, group service_health), so it may fire as soon as its fault shows, sooner than 2m; restore the for, or lower fireAfter to it" },
    ]);
    const removed = { ...piyasa, alerts: piyasa.alerts.map((a) => (a.alertname === 'APIDown' ? { ...a, forMs: 0 } : a)) };
    expect(vacuousExpectations(scenario, removed).map((v) => v.index)).toEqual([0, 1]);
    // A warning tier of the same name with for 30s: the selector without labels may mean it.
    const apiDown = piyasa.alerts.find((a) => a.alertname === 'APIDown')!;
    const tiered = { ...piyasa, alerts: [...piyasa.alerts, { ...apiDown, forMs: 30_000, labels: { ...apiDown.labels, severity: 'warning' } }] };
    expect(vacuousExpectations(scenario, tiered)[0]!.reason).toContain('its for is 30s (fixtures/piyasa/rules/service_health.yml, group service_health) (the shortest of the 2 rules of that name the selector may mean; select one with its labels)');
    const critical = { ...apiOutage, expect: [expectAlert('APIDown', { severity: 'critical' }).toFire({ fireAfter: '1m' })] };
    expect(vacuousExpectations(critical, tiered)).toEqual([]);
  });

  it("names a toNotify(r, { notifyWithin }) shorter than the rule's for: it cannot page before it fires", () => {
    const scenario = { ...apiOutage, expect: [expectAlert('APIDown').toNotify('critical-alerts', { notifyWithin: '2m' }), expectAlert('APIDown').toNotify('critical-alerts', { notifyWithin: '45s' })] };
    expect(vacuousExpectations(scenario, piyasa)).toEqual([
      { index: 1, reason: expect.stringMatching(/^APIDown toNotify\(\.\.\., \{ notifyWithin: '45s' \}\) cannot hold: its for is 1m \(fixtures\/piyasa\/rules\/service_health\.yml, group service_health\), so it fires, and so notifies, no sooner than that after its fault; shorten the for, or raise notifyWithin/) },
    ]);
    expect(check({ ...apiOutage, expect: [expectAlert('APIDown').toNotify('critical-alerts', { notifyWithin: 'quickly' })] })).toThrow("scenarios/x.ts: expect[0].notifyWithin: 'quickly' is not a duration");
  });

  it('names a toBeInhibitedBy() that cannot hold: no inhibit rule can mute the target by the source, by their names and fixed labels', () => {
    const scenario = { ...apiOutage, expect: [expectAlert('HighAPILatency').toBeInhibitedBy('APIDown'), expectAlert('WorkerDown').toBeInhibitedBy('APIDown')] };
    expect(vacuousExpectations(scenario, piyasa)).toEqual([
      { index: 1, reason: expect.stringMatching(/^WorkerDown toBeInhibitedBy\('APIDown'\) cannot hold: no inhibit rule in .*alertmanager\.yml can mute WorkerDown while APIDown fires/) },
    ]);
  });
});

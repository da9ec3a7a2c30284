// A receiver named `web.hook` (as in the Bot-Core guide) is recorded under that name and matched
// by toNotify('web.hook'), end to end. Alertmanager writes `web\.hook` in the webhook payload's
// receiver field, which made such a receiver unmatchable before. Real Prometheus, Alertmanager
// and services; the Piyasa config with its critical receiver renamed, as a user might have it.
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { BuiltinEngine } from '../src/engine/builtin-engine.ts';
import { expectAlert } from '../src/expect/expectation.ts';
import { fault } from '../src/faults/fault-spec.ts';
import type { Scenario } from '../src/scenario/define-scenario.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';

type Route = { receiver: string; routes?: Route[] };

const drill: Scenario = {
  name: 'web-hook',
  system: 'piyasa',
  duration: '4m',
  traffic: [],
  faults: [{ at: '30s', hold: '3m', fault: fault.kill('api') }],
  expect: [expectAlert('APIDown').toFire(), expectAlert('APIDown').toNotify('web.hook'), expectAlert('APIDown').toResolve()],
};

describe("a receiver named 'web.hook'", () => {
  it('gets the notification under its own name and toNotify("web.hook") holds', async () => {
    const config = await loadConfig('firedrill.config.ts');
    const compiled = compileSystem(config.systems[0]!, 'auto', {
      alertmanager: (doc) => {
        const rename = (route: Route) => {
          if (route.receiver === 'critical-alerts') route.receiver = 'web.hook';
          route.routes?.forEach(rename);
        };
        rename(doc.route as Route);
        for (const r of doc.receivers as { name: string }[]) if (r.name === 'critical-alerts') r.name = 'web.hook';
        return doc;
      },
    });
    await using stack = await startNativeStack(compiled);
    const { result } = await runScenario(stack, drill, { engine: new BuiltinEngine() });
    const apiDown = result.alerts.find((a) => a.alertname === 'APIDown')!;
    expect(apiDown.notifications.filter((n) => n.status === 'firing').map((n) => n.receiver)).toEqual(['web.hook']);
    expect(apiDown).toNotify('web.hook');
    expect(result.expectations.filter((e) => !e.ok)).toEqual([]);
  }, 60_000);
});

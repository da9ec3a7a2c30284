import { FiredrillError } from '../errors.ts';
import { PrometheusClient } from '../observe/prometheus-client.ts';
import type { StartedStack } from '../stack/started-stack.ts';
import { waitFor } from '../stack/wait-for.ts';
import type { Scenario } from './define-scenario.ts';
import { servicesTouchedBy, servicesWatchedBy } from './scenario-services.ts';
import { settleDeadlineMs } from './settle-deadline.ts';

/**
 * On a shared stack, a scenario starts only once no alert watching its services is active, so
 * that what the previous scenario of its lane left pending cannot be taken for its own doing.
 * The deadline is the settle deadline of those alerts; running out is reported, not ignored.
 */
export async function waitUntilQuiet(stack: StartedStack, scenario: Scenario): Promise<void> {
  const { compiled } = stack;
  const touched = servicesTouchedBy(scenario, compiled);
  const watched = new Set(compiled.alerts.filter((rule) => servicesWatchedBy(rule, compiled).some((s) => touched.has(s))).map((r) => r.alertname));
  const prometheus = new PrometheusClient(stack.prometheusUrl);
  try {
    await waitFor(
      `no alert on ${[...touched].join(', ')} active before ${scenario.name}`,
      async () => {
        const active = (await prometheus.alerts()).map((a) => `${a.labels.alertname}=${a.state}`).filter((a) => watched.has(a.split('=')[0]!));
        return active.length === 0 ? { value: true, seen: 'none active' } : { seen: `active: ${active.join(', ')}` };
      },
      { timeoutMs: settleDeadlineMs(compiled, [...watched]), pollMs: compiled.evaluationIntervalMs / 2 },
    );
  } catch (error) {
    if (error instanceof FiredrillError && error.code === 'TIMEOUT') throw new FiredrillError('TIMEOUT', `${scenario.name}: ${error.message}`);
    throw error;
  }
}

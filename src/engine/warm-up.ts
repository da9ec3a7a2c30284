import type { PlannedStream } from '../scenario/scenario-plan.ts';
import { assertLoopback } from './loopback.ts';
import { sendTraffic } from './traffic-helper.ts';
import type { TrafficStream } from './traffic.ts';

/**
 * How long a drill's services get its traffic before Prometheus first scrapes them. A fresh
 * process is slow at first (connection pools opening, code compiled on first use, empty caches):
 * in production that is a moment of a five-minute window, but compressed 40 times the same
 * seconds fill a whole window (seen in CI on a busy machine: THE_BOT's healthy p95 at 2.4 s for
 * the first 7 s, DjangoHighLatency pending before any fault). What the services count while warming
 * up is in their counters' first samples, which rate() and increase() never count as an increase.
 * Prometheus is told its targets only once it has ended (stack/native-stack.ts).
 */
export const WARM_UP_MS = 2_000;

/** The drill's streams at their starting rates, for WARM_UP_MS, then until every answer is in; outcomes are not counted. */
export async function warmUp(traffic: readonly TrafficStream[], serviceUrls: ReadonlyMap<string, string>, signal: AbortSignal): Promise<void> {
  const targets = traffic.flatMap((t, i) => {
    const baseUrl = serviceUrls.get(t.service);
    if (baseUrl === undefined) return [];
    assertLoopback(baseUrl);
    const stream: PlannedStream = { name: `warm_up_${i}`, service: t.service, startRps: t.rps, stages: [], requests: t.requests };
    return [{ stream, baseUrl }];
  });
  if (targets.length > 0) await sendTraffic(targets, { durationMs: WARM_UP_MS }, signal);
}

import type { LiveTraffic } from '../engine/traffic.ts';
import { iso } from '../observe/alert-trace.ts';

/** Requests sent and failed in one wall second of a drill, ending at `at`. */
export interface TrafficPoint {
  at: string;
  requests: number;
  failures: number;
}

const SAMPLE_MS = 1_000;

/**
 * Reads the engine's live counters once a wall second while a drill runs, so that a report can
 * show traffic over time (engines summarise a drill only as totals). `stop()` takes a last sample
 * of the part-second since the previous one.
 */
export function sampleTraffic(live: LiveTraffic, startedAtMs: number): { stop(): TrafficPoint[] } {
  const points: TrafficPoint[] = [];
  let last = { requests: 0, failures: 0 };
  const take = () => {
    points.push({ at: iso(Date.now())!, requests: live.requests - last.requests, failures: live.failures - last.failures });
    last = { requests: live.requests, failures: live.failures };
  };
  const timer = setInterval(take, SAMPLE_MS);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        if (Date.now() > startedAtMs) take();
      }
      return points;
    },
  };
}

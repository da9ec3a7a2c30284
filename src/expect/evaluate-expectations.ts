import type { FaultRecord } from '../faults/fault-controller.ts';
import { causingFault } from '../faults/causing-fault.ts';
import { parseDurationMs } from '../duration.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import { iso } from '../observe/alert-trace.ts';
import type { ExpectationResult } from '../report/run-result.ts';
import { describeExpectation, selectorName, type Expectation } from './expectation.ts';
import { detectedWithin, firesWithinFor, inhibitedBy, neverFires, notifiesReceiver, resolvesAfter, type Verdict } from './verdicts.ts';

/** Judges every expectation against the traces; collects all failures, never stops at the first. */
export function evaluateExpectations(
  expectations: readonly Expectation[],
  traces: readonly AlertTrace[],
  faults: readonly FaultRecord[],
  scale: number,
): ExpectationResult[] {
  return expectations.map((e) => {
    const verdict = judge(e, traces, faults, scale);
    return { description: describeExpectation(e), ok: verdict.ok, detail: verdict.detail, kind: e.kind, alert: e.alert, ...(e.labels ? { labels: { ...e.labels } } : {}) };
  });
}

/** The trace an expectation is about: labels must match; among several, the first that fired. */
export function traceFor(traces: readonly AlertTrace[], alert: string, labels: Readonly<Record<string, string>> = {}): AlertTrace | undefined {
  const candidates = traces.filter((t) => t.alertname === alert && Object.entries(labels).every(([k, v]) => t.labels[k] === v));
  const fired = candidates.filter((t) => t.firingAt !== null).sort((a, b) => Date.parse(a.firingAt!) - Date.parse(b.firingAt!));
  return fired[0] ?? candidates[0];
}

function judge(e: Expectation, traces: readonly AlertTrace[], faults: readonly FaultRecord[], scale: number): Verdict {
  const trace = traceFor(traces, e.alert, e.labels);
  if (!trace) return { ok: false, detail: `${selectorName(e)}: no trace recorded` };
  switch (e.kind) {
    case 'fires': {
      const timing = firesWithinFor(trace);
      if (!timing.ok || !e.detectWithin) return timing;
      const detection = detectedWithin(trace, parseDurationMs(e.detectWithin, 'detectWithin') / scale / 1000);
      return { ok: detection.ok, detail: `${timing.detail}; ${detection.detail}` };
    }
    case 'doesNotFire':
      return neverFires(trace);
    case 'inhibitedBy': {
      const source = traceFor(traces, e.source);
      return source ? inhibitedBy(trace, source) : { ok: false, detail: `${e.source}: no trace recorded` };
    }
    case 'notifies':
      return notifiesReceiver(trace, e.receiver);
    case 'resolves': {
      const cause = causingFault(faults, trace.pendingAt === null ? null : Date.parse(trace.pendingAt));
      return resolvesAfter(trace, iso(cause?.revertedAtMs ?? null));
    }
  }
}

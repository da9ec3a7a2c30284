// What must be the same when the same drills run on two stack providers.
import type { GateResult } from '../src/gate/run-gate.ts';
import { timingErrorMs } from '../src/report/timing-error.ts';
import { traceName } from '../src/report/trace-name.ts';

/**
 * Every difference between two gate runs of the same drills, one line each: a drill one ran and
 * the other did not, a drill's verdict, an expectation's verdict, or the alerts that fired (but
 * an alert the drill allows with toMayFire, which by its definition may fire on one run and not
 * the next).
 */
export function verdictDifferences(a: GateResult, b: GateResult, names: { a: string; b: string }): string[] {
  const differences: string[] = [];
  for (const left of a.run.scenarios) {
    const right = b.run.scenarios.find((s) => s.name === left.name);
    if (!right) {
      differences.push(`${left.name}: ran on ${names.a}, not on ${names.b}`);
      continue;
    }
    if (left.ok !== right.ok) differences.push(`${left.name}: ${left.ok ? 'PASS' : 'FAIL'} on ${names.a}, ${right.ok ? 'PASS' : 'FAIL'} on ${names.b}`);
    const verdicts = (s: typeof left) => new Map(s.expectations.map((e) => [e.description, e.ok]));
    const leftVerdicts = verdicts(left);
    const rightVerdicts = verdicts(right);
    for (const description of new Set([...leftVerdicts.keys(), ...rightVerdicts.keys()])) {
      const l = leftVerdicts.get(description);
      const r = rightVerdicts.get(description);
      if (l !== r) differences.push(`${left.name}: "${description}" is ${l ?? 'absent'} on ${names.a}, ${r ?? 'absent'} on ${names.b}`);
    }
    const allowed = new Set(left.expectations.filter((e) => e.kind === 'mayFire').map((e) => e.alert));
    const fired = (s: typeof left) =>
      s.alerts
        .filter((t) => t.firingAt !== null && !allowed.has(t.alertname))
        .map((t) => traceName(t))
        .sort()
        .join(', ');
    if (fired(left) !== fired(right)) differences.push(`${left.name}: fired [${fired(left)}] on ${names.a}, [${fired(right)}] on ${names.b}`);
  }
  for (const right of b.run.scenarios) if (!a.run.scenarios.some((s) => s.name === right.name)) differences.push(`${right.name}: ran on ${names.b}, not on ${names.a}`);
  return differences;
}

/** Every alert whose pending-to-firing time was not exactly its scaled `for`: `<drill> <alert>: <n> ms`. */
export function timingErrors(gate: GateResult): string[] {
  return gate.run.scenarios.flatMap((s) =>
    s.alerts.flatMap((t) => {
      const error = timingErrorMs(t);
      return error === undefined || error === 0 ? [] : [`${s.name} ${traceName(t)}: ${error} ms`];
    }),
  );
}

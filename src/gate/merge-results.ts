import type { LoadedConfig } from '../config/load-config.ts';
import { badInput } from '../errors.ts';
import { readResultFile } from '../report/result-file.ts';
import type { RunResult } from '../report/run-result.ts';
import { loadDrills } from '../scenario/run-drills.ts';
import type { ContractReport } from './check-contract.ts';
import { summarizeGate, type DashboardReport, type GateResult } from './run-gate.ts';
import type { StaticFinding } from './static-checks.ts';

export type MergedResult = { kind: 'gate'; gate: GateResult } | { kind: 'run'; run: RunResult };

export interface MergeOptions {
  readonly minAlertCoverage: number;
  readonly minInhibitionCoverage: number;
}

/**
 * Combines the result JSONs of the shards of one run (`--shard i/n`, every i from 1 to n) into
 * one result, with coverage computed over the whole. Gate results merge into a gate result, run
 * results into a run result; a missing, repeated or foreign shard is bad input.
 */
export async function mergeResults(config: LoadedConfig, files: readonly string[], options: MergeOptions): Promise<MergedResult> {
  if (files.length === 0) throw badInput('merge: name the result JSON of every shard, e.g. firedrill merge shard-1.json shard-2.json');
  const parsed = files.map((file) => ({ file, doc: readResultFile(file, 'merge') }));
  const gates = parsed.filter((p) => 'systems' in p.doc);
  if (gates.length !== 0 && gates.length !== parsed.length) throw badInput(`merge: ${parsed.find((p) => !('systems' in p.doc))!.file} is a run result, the others gate results; merge one kind at a time`);
  const runs = parsed.map((p) => ({ file: p.file, run: 'systems' in p.doc ? p.doc.run : p.doc }));
  checkShards(runs);

  const { compiled, all } = await loadDrills({ config, scenarioNames: [], scale: 'auto' });
  const order = new Map(all.map((l, i) => [l.scenario.name, i]));
  const scenarios = runs.flatMap((r) => r.run.scenarios).sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const unknown = scenarios.filter((s) => !order.has(s.name));
  if (unknown.length > 0) throw badInput(`merge: scenario '${unknown[0]!.name}' is not in ${config.scenariosDir}; merge results of this project's scenarios`);
  const { shard: _shard, pool: _pool, systemTimings: _timings, ...first } = runs[0]!.run;
  // Each shard drilled some of the systems: the merged run drilled them all, in the config's order.
  // A shard written before systemTimings leaves the merge without them, not with a part of them.
  const timings = runs.every((r) => r.run.systemTimings) ? Object.assign({}, ...runs.map((r) => r.run.systemTimings)) as NonNullable<RunResult['systemTimings']> : undefined;
  const merged: RunResult = {
    ...first,
    ok: runs.every((r) => r.run.ok),
    stackReadySeconds: Math.max(...runs.map((r) => r.run.stackReadySeconds)),
    ...(timings ? { systemTimings: Object.fromEntries([...compiled.keys()].filter((name) => name in timings).map((name) => [name, timings[name]!])) } : {}),
    scenarios,
  };
  if (gates.length === 0) return { kind: 'run', run: merged };

  const gateDocs = gates.map((g) => g.doc as GateResult);
  const staticFindings = new Map<string, StaticFinding[]>(gateDocs[0]!.systems.map((s) => [s.system, s.static]));
  const contractReports = new Map<string, ContractReport>(gateDocs.flatMap((g) => g.systems.flatMap((s) => (s.contract ? [[s.system, s.contract] as const] : []))));
  const dashboardReports = new Map<string, DashboardReport>(gateDocs.flatMap((g) => g.systems.flatMap((s) => (s.dashboards ? [[s.system, s.dashboards] as const] : []))));
  const gate = summarizeGate({ compiled, scenarios: all, staticFindings, contractReports, dashboardReports, run: merged, ...options, coverageJudged: true });
  return { kind: 'gate', gate: { ...gate, wallSeconds: Math.max(...gateDocs.map((g) => g.wallSeconds)) } };
}


function checkShards(runs: readonly { file: string; run: RunResult }[]): void {
  const count = runs[0]!.run.shard?.count;
  for (const { file, run } of runs) {
    if (!run.shard) throw badInput(`merge: ${file} is not a shard result (it ran without --shard); merge the results of --shard 1/n to n/n`);
    if (run.shard.count !== count) throw badInput(`merge: ${file} is shard ${run.shard.index}/${run.shard.count}, ${runs[0]!.file} is of ${count}; merge shards of one split`);
  }
  const seen = new Map<number, string>();
  for (const { file, run } of runs) {
    const other = seen.get(run.shard!.index);
    if (other) throw badInput(`merge: ${file} and ${other} are both shard ${run.shard!.index}/${count}`);
    seen.set(run.shard!.index, file);
  }
  const missing = Array.from({ length: count! }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw badInput(`merge: shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing; pass the result JSON of every shard`);
}

// Benchmark: runs a scenario N times on fresh native stacks and prints the numbers we track:
// stack ready time, wall time, achieved rate, and per alert the timing error
// (firingAt - pendingAt - scaled for) and detection latency.
// Usage: node --import tsx scripts/bench.ts [scenario] [runs]
import { compileSystem } from '../src/compile/compile-system.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { BuiltinEngine } from '../src/engine/builtin-engine.ts';
import { loadScenarios, selectScenarios } from '../src/scenario/load-scenarios.ts';
import { runScenario } from '../src/scenario/run-scenario.ts';
import { startNativeStack } from '../src/stack/native-stack.ts';

const [name = 'api-outage', runsText = '3'] = process.argv.slice(2);
const config = await loadConfig();
const systems = new Map(config.systems.map((s) => [s.name, compileSystem(s, 'auto')]));
const { scenario } = selectScenarios(await loadScenarios(config.scenariosDir, systems), [name])[0]!;
const compiled = systems.get(scenario.system)!;
console.log(`scenario ${name}, scale ${compiled.scale}, evaluation interval ${compiled.evaluationIntervalMs}ms`);
console.log('run  ready_s  wall_s  rps    ok    alert            timing_error_ms  detection_s');
for (let run = 1; run <= Number(runsText); run++) {
  const started = Date.now();
  const stack = await startNativeStack(compiled);
  try {
    const result = await runScenario(stack, scenario, { engine: new BuiltinEngine() });
    const wall = ((Date.now() - started) / 1000).toFixed(1);
    for (const a of result.alerts) {
      const error = a.firingAt && a.pendingAt ? Date.parse(a.firingAt) - Date.parse(a.pendingAt) - a.scaledForSeconds * 1000 : NaN;
      console.log(
        [String(run).padEnd(4), (stack.readyMs / 1000).toFixed(2).padEnd(8), wall.padEnd(7), String(result.traffic.achievedRps).padEnd(6), String(result.ok).padEnd(5), a.alertname.padEnd(16), String(error).padEnd(16), String(a.detectionSeconds)].join(' '),
      );
    }
  } finally {
    await stack.stop();
  }
}

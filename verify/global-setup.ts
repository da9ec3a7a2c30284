// Runs every gate the suite reads, side by side, each on its own pool of isolated stacks (the
// machine ledger shares the cores between them): the gate on the fixtures as they are; the gate
// on a copy broken by every mutation of piyasa-mutations.ts; and, in the Python example, the
// gate as its reader runs it, the same gate in three shards merged into one result, and the gate
// on a copy with one alert broken. Then, side by side again, everything in containers: every
// drill of the fixtures, and Bot-Core and the compose shop from their own compose files, each as
// it is and with an alert or a route broken. Test files read the results through `inject` (see
// shared-gates.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { BOTCORE, brokenBotcore, brokenComposeShop, COMPOSE_SHOP } from './container-projects.ts';
import type { ProjectCopy } from './project-copy.ts';
import { brokenPythonShop, PYTHON_SHOP } from './python-shop-project.ts';
import { firedrill, gate, run, stopTheRest, type GateRun, type IsolatedRun } from './setup-commands.ts';

declare module 'vitest' {
  interface ProvidedContext {
    gateResultFile: string;
    gateHtmlFile: string;
    /** The exit code and JUnit file of the gate on the fixtures: `.ci/run`'s gate (it runs no other). */
    fixturesGate: GateRun & { readonly junitFile: string };
    mutationGateResultFile: string;
    pythonGate: GateRun;
    pythonBrokenGate: GateRun;
    pythonShardGates: GateRun[];
    containersGateRun: GateRun;
    /** Bot-Core's gate in its containers, and its `botcore-ui-down` drill on the copy whose PagerDuty route lost `continue: true`. */
    botcoreRuns: { readonly gate: IsolatedRun; readonly broken: IsolatedRun };
    /** The compose shop's gate, and the gate (with --keep) on the copy whose ShopDown cannot fire. */
    composeShopRuns: { readonly sound: IsolatedRun; readonly broken: IsolatedRun };
    mergedGateResultFile: string;
    mergedJUnitFile: string;
  }
}

/** `firedrill <args>` in `cwd` with a TMPDIR of its own, `<dir>/<name>-tmp`, and its result in `<dir>/<name>.json`. */
async function isolated(what: string, args: string[], cwd: string, dir: string, name: string): Promise<IsolatedRun> {
  const tmp = path.join(dir, `${name}-tmp`);
  mkdirSync(tmp);
  return { ...(await firedrill(what, args, path.join(dir, `${name}.json`), { cwd, tmp })), tmp };
}

export default async function setup(project: TestProject): Promise<() => void> {
  // For working on a file that reads no gate result: `FIREDRILL_VERIFY_GATES=skip npx vitest run verify/x.test.ts`.
  if (process.env.FIREDRILL_VERIFY_GATES === 'skip') return () => undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-verify-'));
  const copies: ProjectCopy[] = [];
  const cleanUp = () => {
    rmSync(dir, { recursive: true, force: true });
    for (const copy of copies) copy.remove();
  };
  try {
    const copy = (make: () => ProjectCopy) => {
      copies.push(make());
      return copies.at(-1)!;
    };
    const [pythonBroken, botcoreBroken, composeShopBroken] = [copy(brokenPythonShop), copy(brokenBotcore), copy(brokenComposeShop)];
    const file = (name: string) => path.join(dir, name);
    const shardFiles = [1, 2, 3].map((i) => file(`python-shard-${i}.json`));
    const [fixturesGate, , pythonGate, pythonBrokenGate, pythonShardGates] = await Promise.all([
      gate('firedrill gate', file('gate.json'), process.cwd(), ['--html', file('gate.html'), '--junit', file('gate.xml')]),
      run('the mutation gate', ['--import', 'tsx', 'scripts/mutation-gate.ts', '--combined', '--json', file('mutation-gate.json')]),
      gate('firedrill gate (Python example)', file('python-gate.json'), PYTHON_SHOP),
      gate('firedrill gate (Python example, ShopSlow broken)', file('python-broken-gate.json'), pythonBroken.dir),
      Promise.all(shardFiles.map((json, i) => gate(`firedrill gate --shard ${i + 1}/3 (Python example)`, json, PYTHON_SHOP, ['--shard', `${i + 1}/3`]))),
    ]);
    await firedrill('firedrill merge', ['merge', ...shardFiles, '--junit', file('merged.xml')], file('merged.json'), { cwd: PYTHON_SHOP });
    // Everything in containers, after the others: beside the gates above, containers stacks once
    // took the load to 20 (seen in CI: THE_BOT's healthy p95 above 1 s). Beside each other, their
    // claims share the machine through the ledger as the native gates' do (in CI: the phase took
    // 505 s, where the containers gate alone then Bot-Core's and the shop's files took 621 s).
    const containers = ['--stack', 'containers', '--engine', 'builtin'];
    const [containersGateRun, botcoreGate, botcoreBrokenRun, composeShopSound, composeShopBrokenGate] = await Promise.all([
      gate('firedrill gate --stack containers', file('containers-gate.json'), process.cwd(), ['--stack', 'containers']),
      isolated('firedrill gate (Bot-Core)', ['gate', ...containers], BOTCORE, dir, 'botcore-gate'),
      isolated('firedrill run botcore-ui-down (Bot-Core, PagerDuty route broken)', ['run', 'botcore-ui-down', ...containers], botcoreBroken.dir, dir, 'botcore-broken'),
      isolated('firedrill gate (compose shop)', ['gate', '--engine', 'builtin'], COMPOSE_SHOP, dir, 'compose-shop-sound'),
      isolated('firedrill gate --keep (compose shop, ShopDown broken)', ['gate', '--engine', 'builtin', '--keep'], composeShopBroken.dir, dir, 'compose-shop-broken'),
    ]);
    project.provide('gateResultFile', file('gate.json'));
    project.provide('gateHtmlFile', file('gate.html'));
    project.provide('fixturesGate', { ...fixturesGate, junitFile: file('gate.xml') });
    project.provide('mutationGateResultFile', file('mutation-gate.json'));
    project.provide('pythonGate', pythonGate);
    project.provide('pythonBrokenGate', pythonBrokenGate);
    project.provide('pythonShardGates', pythonShardGates);
    project.provide('containersGateRun', containersGateRun);
    project.provide('botcoreRuns', { gate: botcoreGate, broken: botcoreBrokenRun });
    project.provide('composeShopRuns', { sound: composeShopSound, broken: composeShopBrokenGate });
    project.provide('mergedGateResultFile', file('merged.json'));
    project.provide('mergedJUnitFile', file('merged.xml'));
  } catch (error) {
    await stopTheRest();
    cleanUp();
    throw error;
  }
  return cleanUp;
}

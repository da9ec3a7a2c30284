// A user's project around THE_BOT's monitoring, services and schema, outside the repo: the
// fixture system as firedrill.config.ts wires it, with absolute paths, and one drill of its own.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve('.');
const SRC = path.join(REPO, 'src/index.ts');

export interface UserProject {
  readonly dir: string;
  /** TMPDIR of its runs, so that what they create (and leave) is theirs alone. */
  readonly tmp: string;
}

/** The repo's config, with only the THE_BOT system, every path made absolute. */
function thebotConfig(): string {
  const config = readFileSync(path.join(REPO, 'firedrill.config.ts'), 'utf8');
  const thebot = config.slice(config.indexOf('    thebot: {'), config.indexOf("  scenarios: 'scenarios'"));
  return `import { defineConfig } from '${SRC}';
const tsService = (file: string) => ({ command: ['node', '${REPO}/fixtures/start-service.mjs', '${REPO}/' + file] });
export default defineConfig({
  systems: {
${thebot.replaceAll("'fixtures/", `'${REPO}/fixtures/`)}  scenarios: 'scenarios',
});
`;
}

/** `edit` changes the config's text; `scenario` is the drill's file (SRC stands for firedrill's entry). */
export function thebotProject(edit: (config: string) => string = (c) => c, scenario = DRILL): UserProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firedrill-user-'));
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, 'firedrill.config.ts'), edit(thebotConfig()));
  mkdirSync(path.join(dir, 'scenarios'));
  writeFileSync(path.join(dir, 'scenarios', 'drill.ts'), scenario.replaceAll('SRC', SRC));
  return { dir, tmp };
}

/** A short drill on every kind of part: traffic through the frontend, a slow database, the API stopped. */
export const DRILL = `import { defineScenario, expectAlert, fault } from 'SRC';
export default defineScenario({ name: 'drill', system: 'thebot', duration: '6m',
  traffic: [{ service: 'frontend', rps: 5, requests: [{ method: 'GET', path: '/' }] }],
  faults: [{ at: '1m', hold: '2m', fault: fault.latency('db', '300ms') }],
  expect: [expectAlert('DjangoServiceDown').toNotFire()] });
`;

// firedrill as a user outside this repo gets it: packed into a tarball, installed into a fresh
// project (CommonJS, npm's default, and an ES module project), `npx firedrill init` run on a copy
// of THE_BOT's monitoring files, its TODOs answered with the fixture's services, and one of the
// drills init wrote run to its verdict. The install resolves dependencies from npm's cache first
// (`--prefer-offline`): the suite has just installed the same versions.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const REPO = path.resolve('.');
const FIXTURE = path.join(REPO, 'fixtures/thebot');
const root = mkdtempSync(path.join(os.tmpdir(), 'firedrill-packaging-'));
const cjs = path.join(root, 'user-cjs');
const esm = path.join(root, 'user-esm');
let tarball = '';

async function npm(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return exec('npm', args, { cwd, env: { ...process.env, ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }, maxBuffer: 64 * 2 ** 20 });
}

/** `npx firedrill ...` in a project, with its own TMPDIR; resolves with the exit code and output whatever the code. */
async function firedrill(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('npx', ['--no-install', 'firedrill', ...args], { cwd, env: { ...process.env, TMPDIR: path.join(cwd, 'tmp') }, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

function project(dir: string, type: 'commonjs' | 'module'): void {
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), version: '1.0.0', private: true, type }, null, 2));
}

beforeAll(async () => {
  // `npm pack` runs `prepare` (the library build), as publishing and git-URL installs do.
  const { stdout } = await npm(REPO, ['pack', '--json', '--pack-destination', root]);
  // The JSON follows what `prepare` printed.
  tarball = path.join(root, (JSON.parse(stdout.slice(stdout.search(/^\[/m))) as { filename: string }[])[0]!.filename);
  project(cjs, 'commonjs');
  project(esm, 'module');
  await Promise.all([cjs, esm].map((dir) => npm(dir, ['install', '--prefer-offline', '--no-save', '--no-package-lock', tarball])));
}, 300_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('installed from a packed tarball', () => {
  it('packs only what users need: the CLI, sources, the built library and types, no tests', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(['package/bin/firedrill.mjs', 'package/dist/lib/index.js', 'package/dist/lib/index.cjs', 'package/dist/types/index.d.ts', 'package/scripts/setup.sh', 'package/README.md']));
    expect(files.filter((f) => f.endsWith('.test.ts') || f.startsWith('package/verify/') || f.startsWith('package/fixtures/'))).toEqual([]);
  });

  it.each([
    ['a CommonJS project (require)', cjs, "const f = require('firedrill'); console.log(Object.keys(f).sort().join(','))"],
    ['an ES module project (import)', esm, "import('firedrill').then((f) => console.log(Object.keys(f).sort().join(',')))"],
  ])('loads in %s with the authoring API', async (_name, dir, code) => {
    const { stdout } = await exec(process.execPath, ['-e', code], { cwd: dir });
    expect(stdout.trim().split(',')).toEqual(expect.arrayContaining(['defineConfig', 'defineScenario', 'expectAlert', 'fault']));
  });

  it.each([
    ['CommonJS', cjs, 'node16'],
    ['ES module', esm, 'nodenext'],
  ])('type-checks a config and a scenario in a %s project, and refuses a wrong field', async (_name, dir, module) => {
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module, moduleResolution: module, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, include: ['check.ts'] }));
    const good = `import { defineConfig, defineScenario, expectAlert, fault } from 'firedrill';
export const config = defineConfig({ systems: { app: { prometheus: 'p.yml', alertmanager: 'a.yml', services: { api: { command: ['./api'], job: 'api' } } } }, scenarios: 'scenarios' });
export const drill = defineScenario({ name: 'x', system: 'app', duration: '5m', traffic: [], faults: [{ at: '1m', fault: fault.kill('api') }], expect: [expectAlert('Down').toFire()] });
`;
    const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
    writeFileSync(path.join(dir, 'check.ts'), good);
    await exec(process.execPath, [tsc, '-p', dir]);
    writeFileSync(path.join(dir, 'check.ts'), good.replace("fault.kill('api')", "fault.kill(42)"));
    await expect(exec(process.execPath, [tsc, '-p', dir])).rejects.toMatchObject({ stdout: expect.stringMatching(/check\.ts\(3,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/) });
  }, 60_000);
});

describe('npx firedrill init on a copy of THE_BOT monitoring files, then a drill it wrote', () => {
  let init: Awaited<ReturnType<typeof firedrill>>;
  beforeAll(async () => {
    for (const name of ['prometheus.yml', 'alertmanager.yml', 'rules']) cpSync(path.join(FIXTURE, name), path.join(cjs, name), { recursive: true });
    init = await firedrill(cjs, ['init']);
  }, 60_000);

  it('writes a config with one part per scrape job, a baseline and one drill per alert, and says what is left to do', () => {
    expect(init.code, init.stderr).toBe(0);
    expect(readdirSync(path.join(cjs, 'scenarios')).sort()).toEqual(
      ['baseline', 'critical-memory-usage', 'django-high-error-rate', 'django-high-latency', 'django-service-down', 'django-slow-queries', 'high-cpu-usage', 'high-disk-io', 'high-memory-usage', 'long-running-queries', 'postgre-sql-down'].map((s) => `${s}.ts`),
    );
    const config = readFileSync(path.join(cjs, 'firedrill.config.ts'), 'utf8');
    expect(config).toContain("from 'firedrill'");
    expect(config).toMatch(/'postgres-exporter': \{ type: 'postgres', job: 'postgres', dependency: 'db' \}/);
    expect(init.stdout).toContain("firedrill.config.ts: the command of service 'django' (job django)");
    // Each drill expects the receiver Alertmanager's own routing tree picks for the alert's labels.
    expect(readFileSync(path.join(cjs, 'scenarios/high-disk-io.ts'), 'utf8')).toContain("expectAlert('HighDiskIO').toNotify('ops-team')");
    expect(readFileSync(path.join(cjs, 'scenarios/postgre-sql-down.ts'), 'utf8')).toContain("expectAlert('PostgreSQLDown').toNotify('critical-team')");
    // and the deadline the rule keeps today (pg_up == 0, for 1m; 15s scrapes and evaluations: 1m + 30s + 30s).
    expect(readFileSync(path.join(cjs, 'scenarios/postgre-sql-down.ts'), 'utf8')).toContain("expectAlert('PostgreSQLDown').toFire({ fireAfter: '1m', fireWithin: '2m' })");
  });

  it('refuses to run before its TODOs are answered, naming the service command', async () => {
    const run = await firedrill(cjs, ['run', 'high-cpu-usage']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('firedrill: firedrill.config.ts: systems.user-cjs.services.django.command: command not found: TODO-start-django; install it or put its directory on PATH');
  }, 60_000);

  it('runs a drill init wrote, once the service commands and the schema are filled in, and the alert fires and pages the right team', async () => {
    const file = path.join(cjs, 'firedrill.config.ts');
    const service = (name: string) => `['node', '${REPO}/fixtures/start-service.mjs', '${FIXTURE}/services/${name}']`;
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace("command: ['TODO-start-django']", `command: ${service('api.ts')}, env: { DATABASE_URL: 'postgresql://postgres@{{db}}/thebot', REDIS_URL: 'redis://{{cache}}' }`)
        .replace("command: ['TODO-start-nodejs']", `command: ${service('frontend.ts')}, env: { API_URL: 'http://{{api}}' }`)
        .replace("db: { type: 'postgres' },", `db: { type: 'postgres', databases: ['thebot'], init: ['${FIXTURE}/db/schema.sql'], settings: { shared_preload_libraries: 'pg_stat_statements' } },\n        api: { type: 'http', service: 'django' },`),
    );
    const run = await firedrill(cjs, ['run', 'high-cpu-usage', '--json', 'result.json']);
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    const result = JSON.parse(readFileSync(path.join(cjs, 'result.json'), 'utf8')) as { ok: boolean; scenarios: { name: string; expectations: { ok: boolean; description: string }[] }[] };
    expect(result.ok).toBe(true);
    expect(result.scenarios[0]!.expectations.map((e) => [e.description, e.ok])).toEqual(
      expect.arrayContaining([
        // init wrote the span today's rule keeps: no sooner than its for, by window 5m + 2 scrapes + for 5m + 2 evaluations (to the next 30 s).
        ['HighCPUUsage fires within its for window, no sooner than 5m and by 11m after its fault', true],
        ['HighCPUUsage notifies receiver critical-team', true],
      ]),
    );
    expect(readdirSync(path.join(cjs, 'tmp')).filter((d) => d.startsWith('firedrill-')), 'run directories left').toEqual([]);
    expect(existsSync(path.join(cjs, 'node_modules/firedrill/dist/lib/index.cjs'))).toBe(true);
  }, 300_000);
});

// Bad input for every config field and fault of drilling from outside (dependencies, exporters,
// hosts, environment templates; proxy, process, scrape and host faults): one line naming the file
// and field, exit 2, before anything starts, nothing left running, mounted or on disk.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DRILL, thebotProject, type UserProject } from './thebot-project.ts';

const BIN = path.resolve('bin/firedrill.mjs');
const made: UserProject[] = [];
afterAll(() => made.forEach((p) => rmSync(p.dir, { recursive: true, force: true })));

function run(project: UserProject) {
  made.push(project);
  return spawnSync(process.execPath, [BIN, 'run', 'drill'], { cwd: project.dir, env: { ...process.env, TMPDIR: project.tmp }, encoding: 'utf8', timeout: 60_000 });
}

function expectRefused(project: UserProject, message: string): void {
  const result = run(project);
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toBe(`firedrill: ${message}\n`);
  expect(readdirSync(project.tmp).filter((d) => d.startsWith('firedrill-')), 'run directories').toEqual([]);
  expect(readdirSync(project.dir).sort(), 'files written to the project').toEqual(['firedrill.config.ts', 'package.json', 'scenarios', 'tmp']);
  expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(project.dir); // no simulated host's filesystem
}

const configCases: [string, (config: string) => string, string][] = [
  ['a database name PostgreSQL would need quoting for', (c) => c.replace("databases: ['thebot']", "databases: ['the bot!']"), 'systems.thebot.dependencies.db.databases[0]: database names are lower_snake_case'],
  ['a TCP dependency on another machine', (c) => c.replace("cache: { type: 'redis' },", "cache: { type: 'redis' }, ext: { type: 'tcp', address: '10.0.0.1:5432' },"), 'systems.thebot.dependencies.ext.address: write 127.0.0.1:<port>: firedrill sends traffic to this machine only'],
  ['an HTTP dependency with neither service nor url', (c) => c.replace("api: { type: 'http', service: 'backend' }", "api: { type: 'http' }"), 'systems.thebot.dependencies.api: give exactly one of service (a service of this system) or url'],
  ['an HTTP dependency on another machine', (c) => c.replace("api: { type: 'http', service: 'backend' }", "api: { type: 'http', url: 'http://example.com' }"), 'systems.thebot.dependencies.api.url: write http://127.0.0.1:<port>: firedrill sends traffic to this machine only'],
  ['a dependency type firedrill does not know', (c) => c.replace("cache: { type: 'redis' }", "cache: { type: 'mysql' }"), 'systems.thebot.dependencies.cache.type: "mysql" is not one firedrill knows; known: postgres, redis, tcp, http'],
  ['a postgres exporter pointed at Redis', (c) => c.replace("dependency: 'db'", "dependency: 'cache'"), "systems.thebot.exporters.postgres-exporter.dependency: no postgres dependency 'cache'; a postgres exporter reads a postgres that firedrill starts (known: db)"],
  ['a node exporter on an undeclared host', (c) => c.replace("host: 'web'", "host: 'db-host'"), "systems.thebot.exporters.node-exporter.host: no host 'db-host'; declare it under hosts (known: web)"],
  ['a host with no CPU', (c) => c.replace('hosts: { web: {} }', 'hosts: { web: { cpus: 0 } }'), 'systems.thebot.hosts.web.cpus: Too small: expected number to be >=1'],
  ['a host memory that is not a size', (c) => c.replace('hosts: { web: {} }', "hosts: { web: { memory: 'lots' } }"), "systems.thebot.hosts.web.memory: write a size like '8GiB'"],
  ['an environment template naming no dependency', (c) => c.replace("'redis://{{cache}}'", "'redis://{{kache}}'"), 'systems.thebot.services.backend.env.REDIS_URL: {{kache}} names no dependency; declare it under dependencies (known: db, cache, api)'],
  ['two parts scraped as one job', (c) => c.replace("job: 'redis'", "job: 'django'"), "systems.thebot.services.backend.job: job 'django' is already mapped to 'redis-exporter'"],
  ['a schema file that does not exist', (c) => c.replace('db/schema.sql', 'db/missing.sql'), `systems.thebot.dependencies.db.init[0]: ${path.resolve('fixtures/thebot/db/missing.sql')} does not exist`],
  ['an exporter queries file that does not exist', (c) => c.replace('postgres-exporter-queries.yml', 'no-queries.yml'), `systems.thebot.exporters.postgres-exporter.queries: ${path.resolve('fixtures/thebot/no-queries.yml')} does not exist`],
];

const faultCases: [string, string, string][] = [
  ['a negative latency', "fault.latency('db', '-5ms')", "cannot be loaded: fault.latency('db'): '-5ms' is not a duration; write it like '30s', '5m' or '1h30m'"],
  ['an HTTP status that is no error', "fault.httpStatus('api', 200)", 'faults[0].fault.params.status: 200 is not an HTTP error status; write an integer from 400 to 599, e.g. 503'],
  ['a kind the dependency has not (HTTP status on PostgreSQL)', "fault.httpStatus('db', 503)", "faults[0].fault.kind: dependency 'db' has no fault 'http_status'; known: kill, stop, pause, restart, latency, timeout, reset, refuse, bandwidth"],
  ['an endpoint fault on a service that declares no fault endpoint', "fault.latency('backend', '1s')", "faults[0].fault.kind: service 'backend' has no fault 'latency' (it has no fault endpoint: drill it from outside (process, scrape-path, its dependencies)); known: kill, stop, pause, restart, scrape_timeout, scrape_error, scrape_drop"],
  ['a CPU share above 100%', "fault.cpu('web', 150)", 'faults[0].fault.params.percent: 150 is out of range; write a number from 0 to 100, e.g. { percent: 90 }'],
  ['a disk more than full', "fault.diskFill('web', 120)", 'faults[0].fault.params.percent: 120 is out of range; write a number from 0 to 100, e.g. { percent: 90 }'],
  ['a dropped family that is no metric name', "fault.dropMetric('backend', 'not a name')", `faults[0].fault.params.family: "not a name" is not a metric family name; write one like 'http_requests_total'`],
  ['a target that does not exist', "fault.stop('nosuch')", "faults[0].fault.target: nothing named 'nosuch' to fault; known: backend, frontend, node-exporter, postgres-exporter, redis-exporter, web, db, cache, api"],
];

describe.concurrent('bad outside config is one line, exit 2, before anything starts, nothing left', () => {
  it('the project as written is accepted (the cases below differ from it in one field each)', () => {
    const project = thebotProject();
    made.push(project);
    const result = spawnSync(process.execPath, [BIN, 'build', '--out', path.join(project.tmp, 'k6')], { cwd: project.dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(readdirSync(path.join(project.tmp, 'k6'))).toContain('drill.js');
  });
  it.each(configCases)('%s', (_name, edit, message) => expectRefused(thebotProject(edit), `firedrill.config.ts: ${message}`));
});

describe.concurrent('bad outside faults are one line, exit 2, before anything starts, nothing left', () => {
  it.each(faultCases)('%s', (_name, written, message) => expectRefused(thebotProject(undefined, DRILL.replace("fault.latency('db', '300ms')", written)), `scenarios/drill.ts: ${message}`));
});

import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.ts';
import { closest, describeZodIssues, knownKeysAt } from './describe-issues.ts';

const system = { prometheus: 'p.yml', alertmanager: 'a.yml', services: { api: { command: ['node', 'api.js'], job: 'api' } } };
const problems = (config: unknown) => {
  const parsed = configSchema.safeParse(config);
  if (parsed.success) throw new Error('the config was accepted');
  return describeZodIssues(parsed.error, configSchema, config);
};

describe('describeZodIssues', () => {
  it('names the key a misspelt one meant, and leaves out that key\u2019s "missing" error', () => {
    expect(problems({ systems: { shop: { ...system, services: { api: { command: ['x'], jbo: 'api' } } } }, scenarios: 'scenarios' })).toBe(
      'systems.shop.services.api: unknown key "jbo" (did you mean "job"?)',
    );
  });

  it('finds the meant key under a discriminated union, in an array, and at the top level', () => {
    expect(problems({ systems: { shop: { ...system, dependencies: { db: { type: 'postgres', databses: ['shop'] } } } }, scenarios: 's' })).toBe(
      'systems.shop.dependencies.db: unknown key "databses" (did you mean "databases"?)',
    );
    expect(problems({ systems: { shop: system }, scenarios: 's', sytems: {} })).toBe('(top level): unknown key "sytems" (did you mean "systems"?)');
  });

  it('says a required field is missing, and names the kinds a discriminated union knows, with the one a typo meant', () => {
    expect(problems({ systems: { shop: { ...system, services: { api: { command: ['node', 'api.js'] } } } }, scenarios: 's' })).toBe('systems.shop.services.api.job: missing; give it (string)');
    expect(problems({ systems: { shop: { ...system, dependencies: { db: { type: 'postgress' } } } }, scenarios: 's' })).toBe(
      'systems.shop.dependencies.db.type: "postgress" is not one firedrill knows (did you mean "postgres"?); known: postgres, redis, tcp, http',
    );
    expect(problems({ systems: { shop: { ...system, dependencies: { db: { databases: ['shop'] } } } }, scenarios: 's' })).toBe('systems.shop.dependencies.db.type: missing; give it (one of: postgres, redis, tcp, http)');
    expect(problems({ systems: { shop: { ...system, dependencies: { db: { type: 'mysql' } } } }, scenarios: 's' })).toBe(
      'systems.shop.dependencies.db.type: "mysql" is not one firedrill knows; known: postgres, redis, tcp, http',
    );
  });

  it('under a discriminated union, knows only the keys of the branch the input names', () => {
    expect(problems({ systems: { shop: { ...system, dependencies: { cache: { type: 'redis', databses: ['shop'] } } } }, scenarios: 's' })).toBe(
      'systems.shop.dependencies.cache: unknown key "databses"; known: type',
    );
  });

  it('lists the known keys when nothing is close, and keeps every other error as it is', () => {
    expect(problems({ systems: { shop: { ...system, hosts: { web: { disk: '1TiB', memory: 'lots' } } } }, scenarios: 's' })).toBe(
      "systems.shop.hosts.web.memory: write a size like '8GiB'; systems.shop.hosts.web: unknown key \"disk\"; known: cpus, memory",
    );
  });
});

describe('closest', () => {
  it('takes a few edits, a swap or a change of case, and nothing further', () => {
    expect([closest('sevrices', ['services', 'hosts']), closest('metricspath', ['metricsPath']), closest('comand', ['command', 'image'])]).toEqual(['services', 'metricsPath', 'command']);
    expect([closest('gpus', ['cpus', 'memory']), closest('timeout', ['job', 'image'])]).toEqual(['cpus', undefined]);
  });
});

describe('knownKeysAt', () => {
  it('walks records, optionals and unions to the object at a path', () => {
    expect(knownKeysAt(configSchema, ['systems', 'shop', 'exporters', 'node']).sort()).toContain('probes');
    expect(knownKeysAt(configSchema, ['systems', 'shop', 'services', 'api'])).toContain('metricsPath');
    expect(knownKeysAt(configSchema, ['systems', 'shop', 'nothing'])).toEqual([]);
  });
});

import { z } from 'zod';

const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'names are lower-case words joined by dashes');
const loopbackAddress = z.string().regex(/^127\.0\.0\.1:\d{1,5}$/, 'write 127.0.0.1:<port>: firedrill sends traffic to this machine only');

const serviceSchema = z.strictObject({
  command: z.array(z.string().min(1)).min(1).optional(),
  image: z.string().min(1).optional(),
  compose: z.strictObject({ file: z.string().min(1), service: z.string().min(1), port: z.number().int().min(1).max(65535) }).optional(),
  job: z.string().min(1),
  metricsPath: z.string().startsWith('/').optional(),
  faultPath: z.string().startsWith('/').nullable().optional(),
  faults: z.array(z.string().regex(/^[a-z0-9_]+$/, 'fault kinds are lower_snake_case')).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

const dependencySchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('postgres'),
    databases: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'database names are lower_snake_case')).optional(),
    init: z.array(z.string().min(1)).optional(),
    settings: z.record(z.string().regex(/^[a-z_.]+$/, 'PostgreSQL setting names are lower_snake_case'), z.string()).optional(),
  }),
  z.strictObject({ type: z.literal('redis') }),
  z.strictObject({ type: z.literal('tcp'), address: loopbackAddress }),
  z
    .strictObject({
      type: z.literal('http'),
      service: z.string().optional(),
      url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}\/?$/, 'write http://127.0.0.1:<port>: firedrill sends traffic to this machine only').optional(),
    })
    .refine((d) => (d.service === undefined) !== (d.url === undefined), 'give exactly one of service (a service of this system) or url'),
]);

const exporterSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('node'), job: z.string().min(1), host: z.string().min(1) }),
  z.strictObject({ type: z.literal('postgres'), job: z.string().min(1), dependency: z.string().min(1), queries: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('redis'), job: z.string().min(1), dependency: z.string().min(1) }),
  z.strictObject({
    type: z.literal('blackbox'),
    job: z.string().min(1),
    probes: z.record(z.string().min(1), z.string().min(1)).refine((p) => Object.keys(p).length > 0, 'name at least one probe target and the service it probes'),
    modules: z.string().min(1).optional(),
  }),
]);

const hostSchema = z.strictObject({
  cpus: z.number().int().min(1).max(256).optional(),
  memory: z.string().regex(/^\d+(\.\d+)?(KiB|MiB|GiB|TiB)$/, "write a size like '8GiB'").optional(),
});

const httpUrl = z.string().refine((u) => /^https?:\/\/[^/]+/.test(u) && URL.canParse(u), 'write an http(s) URL, e.g. http://127.0.0.1:9090');
const loopbackUrl = z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}\/?$/, 'write http://127.0.0.1:<port>: firedrill sends traffic and faults to this machine only');

const externalSchema = z.strictObject({
  prometheus: httpUrl,
  alertmanager: httpUrl,
  services: z.record(name, loopbackUrl),
  faults: z.strictObject({ controller: loopbackUrl, tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'name an environment variable, e.g. GAMEDAY_FAULT_TOKEN') }).optional(),
  allow: z.array(loopbackUrl).min(1, 'list the URLs a game day may touch'),
  abortWhen: z.array(z.strictObject({ name: z.string().min(1), expr: z.string().min(1) })).optional(),
  maxDuration: z.string().regex(/^\d+(ms|s|m|h)$/, "write a duration like '15m'").optional(),
  webhook: z.strictObject({ listen: loopbackAddress, receiver: z.string().min(1).optional() }).optional(),
});

const systemSchema = z.strictObject({
  prometheus: z.string().min(1),
  alertmanager: z.string().min(1),
  contract: z.string().min(1).optional(),
  dashboards: z.string().min(1).optional(),
  services: z.record(name, serviceSchema),
  dependencies: z.record(name, dependencySchema).optional(),
  exporters: z.record(name, exporterSchema).optional(),
  hosts: z.record(name, hostSchema).optional(),
  ignoreJobs: z.array(z.string()).optional(),
  external: externalSchema.optional(),
});

export const configSchema = z.strictObject({
  systems: z.record(z.string().min(1), systemSchema).refine((s) => Object.keys(s).length > 0, 'declare at least one system'),
  scenarios: z.string().min(1),
});

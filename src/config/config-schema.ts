import { z } from 'zod';

const serviceSchema = z.strictObject({
  command: z.array(z.string().min(1)).min(1),
  job: z.string().min(1),
  metricsPath: z.string().startsWith('/').optional(),
  faultPath: z.string().startsWith('/').nullable().optional(),
  faults: z.array(z.string().regex(/^[a-z0-9_]+$/, 'fault kinds are lower_snake_case')).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

const systemSchema = z.strictObject({
  prometheus: z.string().min(1),
  alertmanager: z.string().min(1),
  contract: z.string().min(1).optional(),
  services: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'service names are lower-case words'), serviceSchema),
  ignoreJobs: z.array(z.string()).optional(),
});

export const configSchema = z.strictObject({
  systems: z.record(z.string().min(1), systemSchema).refine((s) => Object.keys(s).length > 0, 'declare at least one system'),
  scenarios: z.string().min(1),
});

/** Renders every zod issue as `field.path: message`, the shape every firedrill input error takes, on one line. */
export function describeZodIssues(error: z.ZodError): string {
  if (error.issues.length === 0) return 'invalid';
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`).join('; ');
}

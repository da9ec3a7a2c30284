// How a compiled k6 script learns where the stack is: the environment, which k6 copies into __ENV.
// Pure and ES2017-safe: bundled into the script and used by the k6 engine and tests in Node.
import type { ScenarioPlan } from '../scenario/plan-types.ts';

export const K6_ENV = {
  /** JSON object: service name -> base URL, e.g. {"api":"http://127.0.0.1:41234"}. */
  targets: 'FIREDRILL_TARGETS',
  faultUrl: 'FIREDRILL_FAULT_URL',
  faultToken: 'FIREDRILL_FAULT_TOKEN',
  /** Optional: where handleSummary writes the traffic summary JSON. */
  summaryFile: 'FIREDRILL_SUMMARY',
} as const;

export interface K6Targets {
  readonly serviceUrls: Readonly<Record<string, string>>;
  readonly faultUrl: string;
  readonly faultToken: string;
}

const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:\d{1,5}$/;
const HINT = "start a stack with 'npx firedrill up' and pass the -e flags it prints";

/** Reads and checks the targets; throws one line naming the variable at fault. */
export function parseK6Targets(env: Readonly<Record<string, string | undefined>>, plan: ScenarioPlan): K6Targets {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${plan.name}: ${name} is not set; ${HINT}`);
    return value;
  };
  let serviceUrls: Record<string, string>;
  try {
    serviceUrls = JSON.parse(need(K6_ENV.targets)) as Record<string, string>;
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error(`${plan.name}: ${K6_ENV.targets} is not a JSON object of service name to URL; ${HINT}`);
    throw error;
  }
  const faultUrl = need(K6_ENV.faultUrl);
  const urls: [string, string | undefined][] = plan.streams.map((s): [string, string | undefined] => [`${K6_ENV.targets}.${s.service}`, serviceUrls[s.service]]);
  urls.push([K6_ENV.faultUrl, faultUrl]);
  for (const [name, url] of urls) {
    if (url === undefined) throw new Error(`${plan.name}: ${name} is missing; ${HINT}`);
    if (!LOOPBACK_URL.test(url)) throw new Error(`${plan.name}: ${name}=${url} refused: firedrill sends load and faults only to http://127.0.0.1:<port>`);
  }
  return { serviceUrls, faultUrl, faultToken: need(K6_ENV.faultToken) };
}

/** The environment of `k6 run` against a started stack (k6 copies it into `__ENV`; never pass the token with `-e`, which any local user can read). */
export function k6Env(targets: K6Targets): Record<string, string> {
  return {
    [K6_ENV.targets]: JSON.stringify(targets.serviceUrls),
    [K6_ENV.faultUrl]: targets.faultUrl,
    [K6_ENV.faultToken]: targets.faultToken,
  };
}

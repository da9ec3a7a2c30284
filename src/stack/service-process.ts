import path from 'node:path';
import type { ResolvedService } from '../config/resolved-system.ts';
import { httpJson } from '../observe/http-json.ts';
import { RestartableProcess } from './restartable-process.ts';
import type { Probe } from './wait-for.ts';

export interface ServiceLaunch {
  readonly port: number;
  readonly configDir: string;
  readonly runDir: string;
  readonly faultToken: string;
  /** Its environment with every `{{dependency}}` already replaced by the proxy's address. */
  readonly env: Readonly<Record<string, string>>;
}

/** Whether a service answers: HTTP 200 from its metrics endpoint on its loopback port. */
export async function metricsAnswer(port: number, metricsPath: string): Promise<Probe<true>> {
  const { status } = await httpJson('GET', `http://127.0.0.1:${port}${metricsPath}`, { timeoutMs: 1_000 });
  return status === 200 ? { value: true, seen: 'HTTP 200' } : { seen: `HTTP ${status}` };
}

/** A user's (or fixture's) service: started from its command, ready once its metrics endpoint answers 200. */
export function serviceProcess(service: ResolvedService, launch: ServiceLaunch): RestartableProcess {
  const [command, ...args] = service.command ?? [];
  return new RestartableProcess({
    name: `service ${service.name}`,
    port: launch.port,
    launch: () => ({
      name: `service ${service.name}`,
      command: command!,
      args,
      cwd: launch.configDir,
      // The token only for a cooperating service: one drilled from outside has no use for it.
      env: { ...process.env, ...launch.env, PORT: String(launch.port), ...(service.faultPath === null ? {} : { FIREDRILL_FAULT_TOKEN: launch.faultToken }) },
      logFile: path.join(launch.runDir, `service-${service.name}.log`),
    }),
    probe: () => metricsAnswer(launch.port, service.metricsPath),
  });
}

import { isExecutable, searchPath } from '../config/which.ts';
import { FiredrillError } from '../errors.ts';

export interface StackBinaries {
  readonly prometheus: string;
  readonly alertmanager: string;
}

const INSTALL_HINT = 'install them with: sudo apt-get install prometheus prometheus-alertmanager (or run npm run setup as root), or set PROMETHEUS_BIN and ALERTMANAGER_BIN';

/** Finds Prometheus and Alertmanager: $PROMETHEUS_BIN/$ALERTMANAGER_BIN first, then PATH (Debian names). */
export function findStackBinaries(env: NodeJS.ProcessEnv = process.env): StackBinaries {
  return {
    prometheus: findBinary('PROMETHEUS_BIN', ['prometheus'], env),
    alertmanager: findBinary('ALERTMANAGER_BIN', ['prometheus-alertmanager', 'alertmanager'], env),
  };
}

/** promtool and amtool for the gate's static stage: $PROMTOOL_BIN/$AMTOOL_BIN, then PATH (Debian ships both). */
export function findCheckTools(env: NodeJS.ProcessEnv = process.env): { promtool: string; amtool: string } {
  return { promtool: findBinary('PROMTOOL_BIN', ['promtool'], env), amtool: findBinary('AMTOOL_BIN', ['amtool'], env) };
}

/** k6 for the k6 engine: $K6_BIN, then PATH; undefined when there is none. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.K6_BIN) return findBinary('K6_BIN', ['k6'], env);
  return searchPath(['k6'], env);
}

/** $VARIABLE when set (it must be executable), else the first of `names` on PATH; `hint` says how to install it. */
export function findBinary(variable: string, names: readonly string[], env: NodeJS.ProcessEnv, hint = INSTALL_HINT): string {
  const explicit = env[variable];
  if (explicit) {
    if (!isExecutable(explicit)) throw new FiredrillError('ENVIRONMENT', `${variable}=${explicit} is not an executable file; fix the path or unset it`);
    return explicit;
  }
  const found = searchPath(names, env);
  if (found) return found;
  throw new FiredrillError('ENVIRONMENT', `${names[0]} not found on PATH; ${hint}`);
}

import { randomBytes } from 'node:crypto';
import type { CompiledSystem } from '../../compile/compile-system.ts';
import type { ExternalStackConfig } from '../../config/define-config.ts';
import { badInput } from '../../errors.ts';
import { faultCatalogue } from '../../faults/fault-catalogue.ts';
import { FaultController } from '../../faults/fault-controller.ts';
import { remoteCatalogue, RemoteControllerDriver, type FaultJournal, type RemoteController } from '../../faults/remote-controller-driver.ts';
import { AlertmanagerRouting } from '../../observe/alertmanager-routing.ts';
import type { ContinueWebhook } from '../../observe/continue-webhook.ts';
import { answers, trimSlash } from '../../observe/http-json.ts';
import { StackWatch, type WatchedComponent } from '../stack-watch.ts';
import type { StackProvider } from '../stack-provider.ts';
import type { StartedStack } from '../started-stack.ts';


/** The external block of a compiled system; a one-line error when the config has none. */
export function externalOf(compiled: CompiledSystem): ExternalStackConfig {
  const external = compiled.system.external;
  if (!external) throw badInput(`system ${compiled.system.name}: --stack external needs systems.${compiled.system.name}.external in the config (Prometheus and Alertmanager URLs, services, allow)`);
  return external;
}

/** The remote fault controller and its token, from the environment variable the config names. */
export function remoteController(compiled: CompiledSystem): RemoteController | undefined {
  const faults = externalOf(compiled).faults;
  if (!faults) return undefined;
  const token = process.env[faults.tokenEnv];
  if (!token) throw badInput(`systems.${compiled.system.name}.external.faults.tokenEnv: $${faults.tokenEnv} is not set; export the fault controller's token (\`firedrill up\` prints it) in it`);
  return { url: trimSlash(faults.controller), tokenEnv: faults.tokenEnv, token };
}

const component = (name: string, url: string): WatchedComponent => ({ name, exited: () => undefined, probe: (timeoutMs) => answers(url, timeoutMs) });

/**
 * A stack someone else runs, as a started stack: nothing is started or rewired. Prometheus and
 * Alertmanager are watched (a game day stops when its observers stop answering), notifications
 * are what Alertmanager's routing picked, and faults go to the stack's own fault controller,
 * each journaled before it is sent. Stopping reverts every fault of the run.
 */
export interface ExternalRun {
  readonly journal: FaultJournal;
  /** Prefix of the run's fault ids on the stack's controller. */
  readonly runId: string;
  /** Silences the run created (`--silence`): alerts they hold still count as routed. */
  readonly ownSilences: ReadonlySet<string>;
  /** The run's listener for the team's `continue: true` copy of every notification, when configured. */
  readonly webhook?: ContinueWebhook;
}

export function externalStackProvider({ journal, runId, ownSilences, webhook }: ExternalRun): StackProvider {
  return {
    name: 'external',
    async start(compiled: CompiledSystem): Promise<StartedStack> {
      const startedAt = Date.now();
      const external = externalOf(compiled);
      const prometheusUrl = trimSlash(external.prometheus);
      const alertmanagerUrl = trimSlash(external.alertmanager);
      const controller = remoteController(compiled);
      const drivers = new Map(controller ? [['remote-controller' as const, new RemoteControllerDriver(controller, journal, runId)]] : []);
      const catalogue = faultCatalogue(compiled.system);
      const faultToken = randomBytes(24).toString('hex');
      const faults = new FaultController({ catalogue: remoteCatalogue(catalogue), drivers }, faultToken, { system: compiled.system.name, scale: compiled.scale });
      const routing = new AlertmanagerRouting(alertmanagerUrl, Math.max(250, compiled.evaluationIntervalMs / 3), ownSilences, webhook && { log: webhook, receiver: external.webhook?.receiver ?? 'firedrill' });
      const watch = new StackWatch([component(`Prometheus at ${prometheusUrl}`, `${prometheusUrl}/-/healthy`), component(`Alertmanager at ${alertmanagerUrl}`, `${alertmanagerUrl}/-/healthy`)], { pollMs: Math.max(1_000, compiled.evaluationIntervalMs), hangMs: 10_000 }, `external-${runId}`);
      const failure = await watch.check();
      if (failure) throw failure;
      await faults.listen();
      routing.start();
      watch.start();
      let stopped: Promise<void> | undefined;
      const stop = () =>
        (stopped ??= (async () => {
          watch.stop();
          await routing.stop();
          try {
            await faults.revertAll();
          } finally {
            await faults.close();
          }
        })());
      return {
        provider: 'external',
        compiled,
        prometheusUrl,
        alertmanagerUrl,
        serviceUrls: new Map(Object.entries(external.services).map(([name, url]) => [name, trimSlash(url)])),
        faults,
        faultToken,
        sink: routing,
        runDir: '',
        readyMs: Date.now() - startedAt,
        queuedMs: 0,
        health: watch,
        usage: () => ({ cpuSeconds: 0, rssBytes: 0 }),
        partPids: () => new Map(),
        stop,
        [Symbol.asyncDispose]: stop,
      };
    },
  };
}

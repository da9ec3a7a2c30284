import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ResolvedService } from '../../config/resolved-system.ts';
import { FiredrillError } from '../../errors.ts';
import { exporterFiles, exporterInvocation, exporterLandingPage, exporterLogFile } from '../exporters/exporter-invocation.ts';
import type { ExporterLaunch } from '../monitoring-launcher.ts';
import { metricsAnswer, type ServiceLaunch } from '../service-process.ts';
import type { StackPart } from '../stack-part.ts';
import { firstLines } from './compose-project.ts';
import { ComposeService, type ContainerSource } from './compose-service.ts';
import { containerServiceName, exporterTemplate, SERVICE_TEMPLATE, stackComposeDocument, type StackContainer } from './stack-compose-file.ts';
import { LoopbackHttpWait } from './loopback-http-wait.ts';

/** How to find a service's container once an `up` has ended: its id, or undefined when it was not created. */
export type ContainerIds = (service: string) => string | undefined;

/**
 * Brings the services of `file` (the stack's second compose file) up in the stack's project, each
 * waited on by HTTP, with `variables` in docker-compose's environment, and resolves with how to
 * find each one's container.
 */
export type BringUpContainers = (
  /** The parts' compose file; undefined when only services of the templates file itself come up. */
  file: string | undefined,
  services: string[],
  waits: ReadonlyMap<string, LoopbackHttpWait>,
  variables: Readonly<Record<string, string>>,
) => Promise<ContainerIds>;

const STOPPED_FIRST = 'the stack stopped before its containers started';

interface Added extends StackContainer {
  readonly port: number;
  readonly readyPath: string;
}

/**
 * The parts of a stack that run in containers beside Prometheus and Alertmanager on the containers
 * stack: its exporters, and its services that name an image. One container each, all brought up
 * by one compose `up` when the first is started (the stack makes them all in one turn of the
 * event loop). Each is a part like a local process: process faults kill, pause and restart its
 * container. Alertmanager rides along in the same `up` (withParts): a docker-compose `up` costs
 * about half a CPU-second, and a stack made three.
 */
export class StackContainers implements ContainerSource {
  readonly #runDir: string;
  readonly #templates: string;
  readonly #bringUp: BringUpContainers;
  readonly #added: Added[] = [];
  readonly #variables: Record<string, string> = {};
  #up: Promise<ContainerIds> | undefined;
  /** Set once the compose file is written: a part added later would not run. */
  #sealed = false;
  /** Services of the templates file itself that come up with the parts, each with its wait. */
  readonly #riders = new Map<string, LoopbackHttpWait>();
  /** Riders waiting for the `up` to begin; told its outcome, or that the stack stopped first. */
  readonly #waitingRiders: { begun(up: Promise<ContainerIds>): void; stopped(reason: Error): void }[] = [];
  /** The stack stopped: no `up` may begin any more (its projects are being taken down). */
  #abandoned = false;

  constructor(runDir: string, templates: string, bringUp: BringUpContainers) {
    this.#runDir = runDir;
    this.#templates = templates;
    this.#bringUp = bringUp;
  }

  exporter({ exporter, source, port }: ExporterLaunch): StackPart {
    const { args, env } = exporterInvocation(exporter, source, port);
    const service = this.#add('exporter', exporter.name, { template: exporterTemplate(exporter.type), command: args, env, readOnly: exporterFiles(exporter), port, readyPath: '/' });
    return new ComposeService({ name: `exporter ${exporter.name}`, service, project: this, port, logFile: exporterLogFile(this.#runDir, exporter), probe: () => exporterLandingPage(port) });
  }

  /** A service with an `image`: its command in that image, in its config's directory, as the local process would run it. */
  service(service: ResolvedService & { readonly image: string; readonly command: readonly string[] }, launch: ServiceLaunch): StackPart {
    const [program, ...args] = service.command;
    const cooperating = service.faultPath !== null;
    // The token goes through docker-compose's environment: the file in the run directory never holds it.
    if (cooperating) this.#variables.FIREDRILL_FAULT_TOKEN = launch.faultToken;
    const name = this.#add('service', service.name, {
      template: SERVICE_TEMPLATE,
      image: service.image,
      entrypoint: [program!],
      command: args,
      env: { ...launch.env, PORT: String(launch.port) },
      ...(cooperating ? { passedEnv: ['FIREDRILL_FAULT_TOKEN'] } : {}),
      readWrite: [launch.configDir],
      workingDir: launch.configDir,
      port: launch.port,
      readyPath: service.metricsPath,
    });
    return new ComposeService({
      name: `service ${service.name}`,
      service: name,
      project: this,
      port: launch.port,
      logFile: path.join(launch.runDir, `service-${service.name}.log`),
      probe: () => metricsAnswer(launch.port, service.metricsPath),
    });
  }

  #add(prefix: 'exporter' | 'service', name: string, part: Omit<Added, 'service'>): string {
    if (this.#sealed) throw new Error(`${prefix} ${name} added after the stack's containers started`);
    const service = containerServiceName(prefix, name, new Set(this.#added.map((a) => a.service)));
    this.#added.push({ ...part, service });
    return service;
  }

  /**
   * The container of `service`, a service of the templates file (Alertmanager), brought up in the
   * parts' `up` when the first part starts, or by startRiders() when no part runs in a container.
   */
  async withParts(service: string, wait: LoopbackHttpWait): Promise<string | undefined> {
    if (this.#sealed) throw new Error(`${service} added after the stack's containers started`);
    this.#riders.set(service, wait);
    // Resolves with the id lookup once the `up` (begun by a part, or by startRiders) has ended.
    const idOf = await new Promise<ContainerIds>((begun, stopped) => {
      if (this.#up) begun(this.#up);
      else if (this.#abandoned) stopped(new Error(STOPPED_FIRST));
      else this.#waitingRiders.push({ begun, stopped });
    });
    return idOf(service);
  }

  /** Every part has started (or none runs in a container): brings the riders up now if no part's `up` did. */
  startRiders(): void {
    if (this.#riders.size > 0 && !this.#abandoned) void this.#ensureUp().catch(() => undefined);
  }

  /** The stack stops: riders still waiting for an `up` are told it will not come, and none begins after. */
  abandon(): void {
    this.#abandoned = true;
    for (const rider of this.#waitingRiders.splice(0)) rider.stopped(new Error(STOPPED_FIRST));
  }

  async containerOf(service: string, where: string): Promise<string> {
    const up = this.#ensureUp();
    let idOf: ContainerIds;
    try {
      idOf = await up;
    } catch (error) {
      throw new FiredrillError('PROCESS_EXITED', `${where}: its container did not start: ${firstLines(error)}`, { cause: error });
    }
    const id = idOf(service);
    if (id === undefined) throw new FiredrillError('PROCESS_EXITED', `${where}: its container was not created by docker-compose`);
    return id;
  }

  #ensureUp(): Promise<ContainerIds> {
    if (!this.#up) {
      this.#up = this.#start();
      for (const rider of this.#waitingRiders.splice(0)) rider.begun(this.#up);
    }
    return this.#up;
  }

  async #start(): Promise<ContainerIds> {
    // Wait a turn of the event loop: the first start brings up every part added with it.
    await new Promise((resolve) => setImmediate(resolve));
    this.#sealed = true;
    // Stopped within that turn: the stack's projects are taken down already, so bring up nothing.
    if (this.#abandoned) throw new Error(STOPPED_FIRST);
    const waits = new Map([...this.#added.map((a) => [a.service, new LoopbackHttpWait(a.port, a.readyPath)] as const), ...this.#riders]);
    const services = [...waits.keys()];
    if (this.#added.length === 0) return this.#bringUp(undefined, services, waits, this.#variables);
    const file = path.join(this.#runDir, 'compose-parts.yml');
    // docker-compose reads YAML 1.1: write it as 1.1 quotes it.
    writeFileSync(file, stringify(stackComposeDocument(this.#templates, this.#added), { version: '1.1' }));
    return this.#bringUp(file, services, waits, this.#variables);
  }
}

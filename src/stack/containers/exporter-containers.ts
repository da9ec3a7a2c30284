import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { FiredrillError } from '../../errors.ts';
import { exporterFiles, exporterInvocation, exporterLandingPage, exporterLogFile } from '../exporters/exporter-invocation.ts';
import type { ExporterLaunch } from '../monitoring-launcher.ts';
import type { StackPart } from '../stack-part.ts';
import { firstLines } from './compose-project.ts';
import { ComposeService, type ContainerSource } from './compose-service.ts';
import { exporterServicesDocument, exporterServiceName, type ExporterService } from './exporter-services.ts';
import { LoopbackHttpWait } from './loopback-http-wait.ts';

/**
 * Brings the exporter services of `file` (the stack's second compose file) up in the stack's
 * project, each waited on by HTTP, and resolves with how to find each one's container.
 */
export type BringUpExporters = (file: string, services: string[], waits: ReadonlyMap<string, LoopbackHttpWait>) => Promise<(service: string) => string | undefined>;

/**
 * A stack's exporters on the containers stack: one container each, all brought up by one compose
 * `up` when the first is started (the stack makes them all in one turn of the event loop). Each
 * is a part like a local exporter: process faults kill, pause and restart its container.
 */
export class ExporterContainers implements ContainerSource {
  readonly #runDir: string;
  readonly #templates: string;
  readonly #bringUp: BringUpExporters;
  readonly #services: (ExporterService & { readonly port: number })[] = [];
  #up: Promise<(service: string) => string | undefined> | undefined;
  /** Set once the compose file is written: an exporter added later would not run. */
  #sealed = false;

  constructor(runDir: string, templates: string, bringUp: BringUpExporters) {
    this.#runDir = runDir;
    this.#templates = templates;
    this.#bringUp = bringUp;
  }

  add({ exporter, source, port }: ExporterLaunch): StackPart {
    if (this.#sealed) throw new Error(`exporter ${exporter.name} added after the stack's exporters started`);
    const service = exporterServiceName(exporter.name, new Set(this.#services.map((s) => s.service)));
    this.#services.push({ service, type: exporter.type, invocation: exporterInvocation(exporter, source, port), files: exporterFiles(exporter), port });
    return new ComposeService({ name: `exporter ${exporter.name}`, service, project: this, port, logFile: exporterLogFile(this.#runDir, exporter), probe: () => exporterLandingPage(port) });
  }

  async containerOf(service: string, where: string): Promise<string> {
    this.#up ??= this.#start();
    let idOf: (service: string) => string | undefined;
    try {
      idOf = await this.#up;
    } catch (error) {
      throw new FiredrillError('PROCESS_EXITED', `${where}: its container did not start: ${firstLines(error)}`, { cause: error });
    }
    const id = idOf(service);
    if (id === undefined) throw new FiredrillError('PROCESS_EXITED', `${where}: its container was not created by docker-compose`);
    return id;
  }

  async #start(): Promise<(service: string) => string | undefined> {
    // Wait a turn of the event loop: the first start brings up every exporter added with it.
    await new Promise((resolve) => setImmediate(resolve));
    this.#sealed = true;
    const file = path.join(this.#runDir, 'compose-exporters.yml');
    // docker-compose reads YAML 1.1: write it as 1.1 quotes it.
    writeFileSync(file, stringify(exporterServicesDocument(this.#templates, this.#services), { version: '1.1' }));
    const waits = new Map(this.#services.map((s) => [s.service, new LoopbackHttpWait(s.port, '/')]));
    return this.#bringUp(file, this.#services.map((s) => s.service), waits);
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { timingSafeEqual } from 'node:crypto';
import { badInput, describeError, FiredrillError } from '../errors.ts';
import { httpJson } from '../observe/http-json.ts';
import type { ServiceProcess } from '../stack/service-process.ts';
import { describeFault, isProcessFault, type FaultSpec } from './fault-spec.ts';

/**
 * A fault that was injected, with wall-clock times in epoch milliseconds. Both times are when the
 * call was issued, so nothing the call causes can precede them: restarting a killed service
 * completes only when our poll sees it answer, and Prometheus may scrape it (and resolve the
 * down alert) a poll earlier; that resolution still followed the revert.
 */
export interface FaultRecord {
  readonly id: string;
  readonly spec: FaultSpec;
  readonly injectedAtMs: number;
  /** Set once the revert has completed, to when it was issued. */
  revertedAtMs: number | null;
  /** The service generation the fault was applied to; a restart clears app faults. */
  readonly generation: number;
  /**
   * For kill and restart: how long the service was really unreachable, from the kill to its first
   * answer again. Process start-up is real time, never scaled: at scale 40 a 1 s start is 40 s of rule time.
   */
  downMs?: number;
}

/**
 * Injects and reverts faults on the stack's services. Reachable in-process and over HTTP on
 * 127.0.0.1 (for k6 scripts), where every call must carry the run's token.
 */
export class FaultController {
  readonly #records: FaultRecord[] = [];
  #server: Server | undefined;
  #port = 0;
  #nextId = 1;
  /** Services with a fault call under way (a restart takes a while): not to be taken for crashed or hung. */
  readonly #busy = new Map<string, number>();

  constructor(
    private readonly services: ReadonlyMap<string, ServiceProcess>,
    private readonly token: string,
    /** What a k6 script checks before it starts: that it was built for this stack's system and scale. */
    private readonly info: { readonly system: string; readonly scale: number },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  records(): readonly FaultRecord[] {
    return this.#records.map((r) => ({ ...r }));
  }

  /** True while a fault holds the service or a fault call on it is under way. */
  holds(target: string): boolean {
    return (this.#busy.get(target) ?? 0) > 0 || this.#records.some((r) => r.spec.target === target && r.revertedAtMs === null);
  }

  async #busyWith<T>(target: string, work: () => Promise<T>): Promise<T> {
    this.#busy.set(target, (this.#busy.get(target) ?? 0) + 1);
    try {
      return await work();
    } finally {
      this.#busy.set(target, this.#busy.get(target)! - 1);
    }
  }

  /** `id`: the caller's name for the fault (a k6 script reverts by it); default: a counter. */
  async inject(spec: FaultSpec, id?: string): Promise<FaultRecord> {
    if (id !== undefined && this.#records.some((r) => r.id === id)) throw badInput(`fault id '${id}' is already in use in this run`);
    const service = this.services.get(spec.target);
    if (!service) throw badInput(`fault ${describeFault(spec)}: no service '${spec.target}'; known: ${[...this.services.keys()].join(', ')}`);
    const faultId = id ?? String(this.#nextId++);
    const issuedAtMs = Date.now();
    await this.#busyWith(spec.target, () => (isProcessFault(spec.kind) ? this.#applyProcessFault(service, spec) : this.#callFaultEndpoint(service, 'POST', faultId, spec)));
    const record: FaultRecord = { id: faultId, spec, injectedAtMs: issuedAtMs, revertedAtMs: null, generation: service.generation };
    if (spec.kind === 'restart') record.downMs = Date.now() - issuedAtMs;
    this.#records.push(record);
    return record;
  }

  async revert(id: string): Promise<FaultRecord> {
    const record = this.#records.find((r) => r.id === id);
    if (!record) throw badInput(`fault ${id}: no such fault`);
    if (record.revertedAtMs !== null) return record;
    const issuedAtMs = Date.now();
    const service = this.services.get(record.spec.target)!;
    await this.#busyWith(record.spec.target, async () => {
      if (record.spec.kind === 'kill') {
        if (!service.process?.running) {
          await service.start();
          record.downMs = Date.now() - record.injectedAtMs;
        }
      } else if (record.spec.kind === 'pause') {
        service.resume();
      } else if (!isProcessFault(record.spec.kind) && service.generation === record.generation && service.process?.running) {
        await this.#callFaultEndpoint(service, 'DELETE', record.id, record.spec);
      }
    });
    // An app fault on a process that has since been killed or restarted went with it.
    record.revertedAtMs = issuedAtMs;
    return record;
  }

  /** Reverts every active fault (or those `which` picks), newest first; reports every failure, not just the first. */
  async revertAll(which: (record: FaultRecord) => boolean = () => true): Promise<void> {
    const failures: string[] = [];
    for (const record of [...this.#records].reverse()) {
      if (record.revertedAtMs !== null || !which(record)) continue;
      try {
        await this.revert(record.id);
      } catch (error) {
        failures.push(`${describeFault(record.spec)}: ${describeError(error)}`);
      }
    }
    if (failures.length > 0) throw new FiredrillError('ENVIRONMENT', `could not revert faults: ${failures.join('; ')}`);
  }

  async listen(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => reply(res, error instanceof FiredrillError && error.code === 'BAD_INPUT' ? 400 : 500, { error: describeError(error) }));
    });
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const address = this.#server.address();
    this.#port = typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    if (!this.#server) return;
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server!.close(resolve));
  }

  async #applyProcessFault(service: ServiceProcess, spec: FaultSpec): Promise<void> {
    if (spec.kind === 'pause') return service.pause();
    service.kill();
    await service.waitExited();
    if (spec.kind !== 'restart') return;
    // The plan turns the step's gap (rule time) into wall milliseconds.
    const gapMs = Number(spec.params?.gapMs ?? 0);
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    await service.start();
  }

  /** The cooperating-service protocol: POST {id, kind, params} to inject, DELETE <faultPath>/<id> to revert that fault only. */
  async #callFaultEndpoint(service: ServiceProcess, method: 'POST' | 'DELETE', faultId: string, spec: FaultSpec): Promise<void> {
    const faultPath = service.service.faultPath;
    if (!faultPath) throw badInput(`fault ${describeFault(spec)}: service '${spec.target}' has no fault endpoint (faultPath is null)`);
    const url = `${service.baseUrl}${faultPath}${method === 'DELETE' ? `/${encodeURIComponent(faultId)}` : ''}`;
    const body = method === 'POST' ? { id: faultId, kind: spec.kind, params: spec.params ?? {} } : undefined;
    const response = await httpJson(method, url, { body, headers: { authorization: `Bearer ${this.token}` } });
    if (response.status !== 200) {
      throw new FiredrillError('ENVIRONMENT', `fault ${describeFault(spec)}: ${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only `Authorization: Bearer <token>`: not the bare token, not another scheme.
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${this.token}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(res, 401, { error: 'missing or wrong fault token' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const id = url.pathname.match(/^\/faults\/([^/]+)$/)?.[1];
    if (req.method === 'GET' && url.pathname === '/faults') return reply(res, 200, this.records());
    if (req.method === 'GET' && url.pathname === '/info') return reply(res, 200, this.info);
    if (req.method === 'POST' && url.pathname === '/faults') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const { id: requestedId, ...spec } = parseFaultRequest(Buffer.concat(chunks).toString('utf8'));
      return reply(res, 201, await this.inject(spec, requestedId));
    }
    if (req.method === 'DELETE' && id) return reply(res, 200, await this.revert(id));
    if (req.method === 'DELETE' && url.pathname === '/faults') {
      await this.revertAll();
      return reply(res, 200, this.records());
    }
    return reply(res, 404, { error: 'use GET/POST /faults or DELETE /faults/<id>' });
  }
}

function parseFaultRequest(text: string): FaultSpec & { id?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badInput('POST /faults: body is not JSON');
  }
  if (typeof body !== 'object' || body === null || typeof (body as FaultSpec).target !== 'string' || typeof (body as FaultSpec).kind !== 'string') {
    throw badInput('POST /faults: body must be {"target": "<service>", "kind": "<fault kind>", "params"?: {...}, "id"?: "<name>"}');
  }
  const id = (body as { id?: unknown }).id;
  if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(id))) throw badInput('POST /faults: id must be letters, digits, dot, dash or underscore');
  return body as FaultSpec & { id?: string };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { timingSafeEqual } from 'node:crypto';
import { badInput, describeError, FiredrillError } from '../errors.ts';
import { faultProblems, type FaultTarget } from './fault-catalogue.ts';
import type { FaultDriver, FaultDriverName, FaultOutcome } from './fault-driver.ts';
import { describeFault, type FaultSpec } from './fault-spec.ts';

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
  /**
   * How long the inject call took to put the fault in effect (a docker network disconnect under
   * load takes hundreds of milliseconds): the fault acted somewhere in that span, so detection
   * bounds allow it on top.
   */
  readonly applyMs?: number;
  /** Set once the revert has completed, to when it was issued. */
  revertedAtMs: number | null;
  /** Which driver carried it out. */
  readonly driver: FaultDriverName;
  /**
   * For kill, stop and restart: how long the target was really unreachable, from the fault to its
   * first answer again. Process start-up is real time, never scaled: at scale 40 a 1 s start is 40 s of rule time.
   */
  downMs?: number;
}

/** What a stack's fault controller works with: what each part accepts, and the drivers that do it. */
export interface FaultWiring {
  readonly catalogue: ReadonlyMap<string, FaultTarget>;
  readonly drivers: ReadonlyMap<FaultDriverName, FaultDriver>;
}

/**
 * Injects and reverts faults on the stack's parts through their drivers. Reachable in-process and
 * over HTTP on 127.0.0.1 (for k6 scripts), where every call must carry the run's token.
 */
export class FaultController {
  readonly #records: FaultRecord[] = [];
  #server: Server | undefined;
  #port = 0;
  #nextId = 1;
  /** Services with a fault call under way (a restart takes a while): not to be taken for crashed or hung. */
  readonly #busy = new Map<string, number>();

  constructor(
    private readonly wiring: FaultWiring,
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
    const problems = faultProblems(this.wiring.catalogue, spec, `fault ${describeFault(spec)}`);
    if (problems.length > 0) throw badInput(problems.join('; '));
    const driverName = this.wiring.catalogue.get(spec.target)!.kinds.get(spec.kind)!.driver;
    const driver = this.#driver(driverName);
    const faultId = id ?? String(this.#nextId++);
    const issuedAtMs = Date.now();
    const outcome = await this.#busyWith(spec.target, () => driver.inject({ id: faultId, spec }));
    const record: FaultRecord = { id: faultId, spec, injectedAtMs: issuedAtMs, applyMs: Date.now() - issuedAtMs, revertedAtMs: null, driver: driverName, ...downTime(outcome) };
    this.#records.push(record);
    return record;
  }

  async revert(id: string): Promise<FaultRecord> {
    const record = this.#records.find((r) => r.id === id);
    if (!record) throw badInput(`fault ${id}: no such fault`);
    if (record.revertedAtMs !== null) return record;
    const issuedAtMs = Date.now();
    const outcome = await this.#busyWith(record.spec.target, () => this.#driver(record.driver).revert({ id: record.id, spec: record.spec }, record.injectedAtMs));
    Object.assign(record, downTime(outcome));
    record.revertedAtMs = issuedAtMs;
    return record;
  }

  #driver(name: FaultDriverName): FaultDriver {
    const driver = this.wiring.drivers.get(name);
    if (!driver) throw new FiredrillError('ENVIRONMENT', `no ${name} fault driver in this stack`);
    return driver;
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

function downTime(outcome: FaultOutcome | void): { downMs?: number } {
  return outcome?.downMs === undefined ? {} : { downMs: outcome.downMs };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

import { describeError, FiredrillError } from '../errors.ts';
import { httpJson } from '../observe/http-json.ts';
import type { DriverFault, FaultDriver, FaultOutcome } from './fault-driver.ts';
import type { FaultTarget } from './fault-catalogue.ts';
import { describeFault, type FaultSpec } from './fault-spec.ts';

/** A fault controller on a stack firedrill did not start (`firedrill up` runs one): its URL and token. */
export interface RemoteController {
  readonly url: string;
  readonly tokenEnv: string;
  readonly token: string;
}

/** Where a fault is written before it is applied, and marked undone after its revert (the game day's revert journal). */
export interface FaultJournal {
  record(action: { kind: 'fault'; controller: string; tokenEnv: string; id: string; spec: FaultSpec }): string;
  done(key: string): void;
}

/** Faults and restarts on a remote stack can take as long as a local restart, and longer over a network. */
const REMOTE_CALL_TIMEOUT_MS = 60_000;

/** DELETE of one fault on a remote controller; a fault it no longer knows is gone with it (a controller reverts its faults when it stops). */
export async function revertRemoteFault(controller: Pick<RemoteController, 'url' | 'token'>, id: string): Promise<FaultOutcome & { gone?: true }> {
  const call = () => httpJson<{ downMs?: number; error?: string }>('DELETE', `${controller.url}/faults/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${controller.token}` }, timeoutMs: REMOTE_CALL_TIMEOUT_MS });
  // A revert is idempotent and must not be lost to a dropped connection: tried again once.
  const response = await call().catch(() => call());
  if (response.status === 400 && /no such fault/.test(response.body?.error ?? '')) return { gone: true };
  if (response.status !== 200) throw new FiredrillError('ENVIRONMENT', `fault controller ${controller.url} refused to revert fault ${id} (${response.status}: ${response.body?.error ?? ''})`);
  return response.body?.downMs === undefined ? {} : { downMs: response.body.downMs };
}

/**
 * Every fault kind of an external stack goes to the fault controller running on it, under an id
 * unique to this run. Each is written to the revert journal before it is sent, so that a runner
 * that dies leaves what `firedrill revert` needs to take it back out.
 */
export class RemoteControllerDriver implements FaultDriver {
  readonly name = 'remote-controller' as const;
  readonly #journalKeys = new Map<string, string>();

  constructor(
    private readonly controller: RemoteController,
    private readonly journal: FaultJournal,
    /** Prefix of this run's fault ids on the remote controller. */
    private readonly runId: string,
  ) {}

  #remoteId(id: string): string {
    return `${this.runId}-${id}`;
  }

  async inject(fault: DriverFault): Promise<FaultOutcome | void> {
    const id = this.#remoteId(fault.id);
    const key = this.journal.record({ kind: 'fault', controller: this.controller.url, tokenEnv: this.controller.tokenEnv, id, spec: fault.spec });
    this.#journalKeys.set(fault.id, key);
    let response;
    try {
      response = await httpJson<{ downMs?: number; error?: string }>('POST', `${this.controller.url}/faults`, {
        body: { ...fault.spec, id },
        headers: { authorization: `Bearer ${this.controller.token}` },
        timeoutMs: REMOTE_CALL_TIMEOUT_MS,
      });
    } catch (error) {
      // Whether it was applied is unknown, and the controller has no record for the run to revert:
      // take it out now (a controller that never applied it says so); the journal keeps it otherwise.
      const cleared = await revertRemoteFault(this.controller, id).then(() => true, () => false);
      if (cleared) this.journal.done(key);
      this.#journalKeys.delete(fault.id);
      throw new FiredrillError('ENVIRONMENT', `fault controller ${this.controller.url} did not answer for ${describeFault(fault.spec)}: ${describeError(error)}${cleared ? '; it is not in force' : `; it may be in force: run firedrill revert`}`);
    }
    if (response.status !== 201) {
      this.journal.done(key);
      this.#journalKeys.delete(fault.id);
      throw new FiredrillError('ENVIRONMENT', `fault controller ${this.controller.url} refused ${describeFault(fault.spec)} (${response.status}: ${response.body?.error ?? ''})`);
    }
    return response.body?.downMs === undefined ? undefined : { downMs: response.body.downMs };
  }

  async revert(fault: DriverFault): Promise<FaultOutcome | void> {
    const { gone: _gone, ...outcome } = await revertRemoteFault(this.controller, this.#remoteId(fault.id));
    const key = this.#journalKeys.get(fault.id);
    if (key) this.journal.done(key);
    this.#journalKeys.delete(fault.id);
    return outcome;
  }
}

/** The system's fault catalogue with every kind carried out by the remote controller. */
export function remoteCatalogue(catalogue: ReadonlyMap<string, FaultTarget>): ReadonlyMap<string, FaultTarget> {
  return new Map([...catalogue].map(([name, target]) => [name, { ...target, kinds: new Map([...target.kinds].map(([kind, k]) => [kind, { ...k, driver: 'remote-controller' as const }])) }]));
}

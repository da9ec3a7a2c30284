import { FiredrillError } from '../errors.ts';
import { httpJson } from '../observe/http-json.ts';
import type { StackPart } from '../stack/stack-part.ts';
import type { DriverFault, FaultDriver } from './fault-driver.ts';
import { describeFault } from './fault-spec.ts';

export interface CooperatingService {
  readonly process: StackPart;
  /** The fault endpoint, e.g. `http://127.0.0.1:4100/__fault`. */
  readonly faultUrl: string;
}

/**
 * The cooperating-service protocol: `POST <faultPath>` with `{"id", "kind", "params"}` injects,
 * `DELETE <faultPath>/<id>` reverts that fault only; both with `Authorization: Bearer <token>`.
 */
export class ServiceEndpointDriver implements FaultDriver {
  readonly name = 'service-endpoint' as const;
  /** The process generation each fault went into: a fault dies with the process that held it. */
  readonly #generations = new Map<string, number>();

  constructor(
    private readonly services: ReadonlyMap<string, CooperatingService>,
    private readonly token: string,
  ) {}

  async inject(fault: DriverFault): Promise<void> {
    const service = this.#service(fault);
    await this.#call(service, 'POST', fault);
    this.#generations.set(fault.id, service.process.generation);
  }

  async revert(fault: DriverFault): Promise<void> {
    const service = this.#service(fault);
    // A fault on a process that has since been killed or restarted went with it.
    if (service.process.generation !== this.#generations.get(fault.id) || !service.process.running) return;
    await this.#call(service, 'DELETE', fault);
  }

  #service(fault: DriverFault): CooperatingService {
    const service = this.services.get(fault.spec.target);
    if (!service) throw new FiredrillError('BAD_INPUT', `fault ${describeFault(fault.spec)}: service '${fault.spec.target}' has no fault endpoint`);
    return service;
  }

  async #call(service: CooperatingService, method: 'POST' | 'DELETE', { id, spec }: DriverFault): Promise<void> {
    const url = method === 'POST' ? service.faultUrl : `${service.faultUrl}/${encodeURIComponent(id)}`;
    const body = method === 'POST' ? { id, kind: spec.kind, params: spec.params ?? {} } : undefined;
    const response = await httpJson(method, url, { body, headers: { authorization: `Bearer ${this.token}` } });
    if (response.status !== 200) {
      throw new FiredrillError('ENVIRONMENT', `fault ${describeFault(spec)}: ${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
  }
}

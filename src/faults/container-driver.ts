import type { ComposeService } from '../stack/containers/compose-service.ts';
import type { DriverFault, FaultDriver } from './fault-driver.ts';

/**
 * Faults only a container has: `disconnect` takes a compose service off its networks (a network
 * partition: its published port, its peers and the outside are gone) until reverted. Its process
 * faults (kill, stop, pause, restart) go through the process driver, which acts on the container.
 */
export class ContainerFaultDriver implements FaultDriver {
  readonly name = 'container' as const;

  constructor(private readonly services: ReadonlyMap<string, ComposeService>) {}

  async inject({ spec }: DriverFault): Promise<void> {
    await this.#service(spec.target).disconnect();
  }

  async revert({ spec }: DriverFault): Promise<void> {
    await this.#service(spec.target).reconnect();
  }

  #service(name: string): ComposeService {
    const service = this.services.get(name);
    if (!service) throw new Error(`container fault on '${name}': not a compose service of this stack`);
    return service;
  }
}

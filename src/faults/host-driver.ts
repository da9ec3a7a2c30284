import type { DriverFault, FaultDriver } from './fault-driver.ts';
import type { HostFaultKind } from './host/host-fault.ts';
import type { SimulatedHost } from './host/simulated-host.ts';

/** CPU, memory, disk and load faults on the hosts firedrill simulates for node_exporter. */
export class HostDriver implements FaultDriver {
  readonly name = 'host' as const;

  constructor(private readonly hosts: ReadonlyMap<string, SimulatedHost>) {}

  async inject({ id, spec }: DriverFault): Promise<void> {
    this.#host(spec.target).inject({ id, kind: spec.kind as HostFaultKind, params: spec.params ?? {} });
  }

  async revert({ id, spec }: DriverFault): Promise<void> {
    this.#host(spec.target).revert(id);
  }

  #host(name: string): SimulatedHost {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`host fault on '${name}': not a simulated host of this stack`);
    return host;
  }
}

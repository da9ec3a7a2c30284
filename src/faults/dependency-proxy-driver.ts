import type { DriverFault, FaultDriver } from './fault-driver.ts';
import type { FaultProxy, ProxyFaultKind } from './proxy/proxy-fault.ts';

/** Network faults on the proxy between the services and each dependency they name in their environment. */
export class DependencyProxyDriver implements FaultDriver {
  readonly name = 'dependency-proxy' as const;

  constructor(private readonly proxies: ReadonlyMap<string, FaultProxy>) {}

  async inject({ id, spec }: DriverFault): Promise<void> {
    await this.#proxy(spec.target).inject({ id, kind: spec.kind as ProxyFaultKind, params: spec.params ?? {} });
  }

  async revert({ id, spec }: DriverFault): Promise<void> {
    await this.#proxy(spec.target).revert(id);
  }

  #proxy(target: string): FaultProxy {
    const proxy = this.proxies.get(target);
    if (!proxy) throw new Error(`network fault on '${target}': no service reaches it through firedrill's proxy`);
    return proxy;
  }
}

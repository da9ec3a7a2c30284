import type { DriverFault, FaultDriver } from './fault-driver.ts';
import type { ScrapePathProxy } from './scrape/scrape-proxy.ts';

/** scrape_timeout, scrape_error and scrape_drop, on the scrape proxy in front of each target that asked for one. */
export class ScrapePathDriver implements FaultDriver {
  readonly name = 'scrape-path' as const;

  constructor(private readonly proxies: ReadonlyMap<string, ScrapePathProxy>) {}

  async inject(fault: DriverFault): Promise<void> {
    await this.#proxy(fault).inject(fault);
  }

  async revert(fault: DriverFault): Promise<void> {
    await this.#proxy(fault).revert(fault.id);
  }

  #proxy(fault: DriverFault): ScrapePathProxy {
    const proxy = this.proxies.get(fault.spec.target);
    if (!proxy) throw new Error(`scrape fault on '${fault.spec.target}': its scrapes do not pass through firedrill in this stack`);
    return proxy;
  }
}

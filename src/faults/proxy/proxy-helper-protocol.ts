import type { FiredrillErrorCode } from '../../errors.ts';
import type { DriverFault } from '../fault-driver.ts';
import type { ProxyFault, ProxyProtocol } from './proxy-fault.ts';

// The messages between firedrill's main thread and the thread its dependency and scrape-path
// proxies run in (proxy-helper.ts and proxy-helper-entry.ts). Plain data: they cross a
// structured clone.

/** What the main thread asks of one proxy, `proxy` naming it; `seq` pairs the answer. */
export type ProxyHelperRequest = { readonly seq: number; readonly proxy: number } & (
  | { readonly op: 'start'; readonly protocol: ProxyProtocol; readonly upstreamPort: number; readonly port: number }
  /** A scrape-path proxy in front of the metrics URL `upstream`. */
  | { readonly op: 'start-scrape'; readonly upstream: string; readonly port: number }
  /** A `ProxyFault` for a dependency proxy, a `DriverFault` for a scrape-path one. */
  | { readonly op: 'inject'; readonly fault: ProxyFault | DriverFault }
  | { readonly op: 'revert'; readonly id: string }
  | { readonly op: 'stop' }
);

/** The answer: done, or the error the proxy threw, its code, name and stack kept so that the main thread throws the same. */
export type ProxyHelperReply =
  | { readonly seq: number; readonly ok: true }
  | { readonly seq: number; readonly ok: false; readonly code: FiredrillErrorCode | undefined; readonly name: string; readonly message: string; readonly stack: string | undefined };

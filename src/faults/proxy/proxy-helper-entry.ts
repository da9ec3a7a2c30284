import { FiredrillError } from '../../errors.ts';
import { helperPort } from '../../helper-port.ts';
import type { DriverFault } from '../fault-driver.ts';
import { ScrapeProxy } from '../scrape/scrape-proxy.ts';
import { startHttpFaultProxy } from './http-fault-proxy.ts';
import type { FaultProxy, ProxyFault } from './proxy-fault.ts';
import type { ProxyHelperReply, ProxyHelperRequest } from './proxy-helper-protocol.ts';
import { startTcpFaultProxy } from './tcp-fault-proxy.ts';

// Runs in the proxy process (started by proxy-helper.ts): the proxies themselves, dependency
// and scrape-path ones, each answering its requests in the order they came.

const port = helperPort<ProxyHelperRequest, ProxyHelperReply>('proxy-helper-entry.ts');

const proxies = new Map<number, FaultProxy | ScrapeProxy>();
/** Each proxy's requests one after another: a revert never overtakes its inject. */
const queues = new Map<number, Promise<void>>();

port.onRequest((request) => {
  const previous = queues.get(request.proxy) ?? Promise.resolve();
  const next = previous.then(() => answer(request));
  queues.set(request.proxy, next);
  void next.then(() => {
    if (queues.get(request.proxy) === next) queues.delete(request.proxy);
  });
});

async function answer(request: ProxyHelperRequest): Promise<void> {
  let reply: ProxyHelperReply;
  try {
    await serve(request);
    reply = { seq: request.seq, ok: true };
  } catch (error) {
    const code = error instanceof FiredrillError ? error.code : undefined;
    const failure = error instanceof Error ? error : new Error(String(error));
    reply = { seq: request.seq, ok: false, code, name: failure.name, message: failure.message, stack: failure.stack };
  }
  port.reply(reply);
}

async function serve(request: ProxyHelperRequest): Promise<void> {
  if (request.op === 'start') {
    const proxy =
      request.protocol === 'http'
        ? await startHttpFaultProxy({ upstream: `http://127.0.0.1:${request.upstreamPort}`, port: request.port })
        : await startTcpFaultProxy({ upstream: { host: '127.0.0.1', port: request.upstreamPort }, port: request.port });
    proxies.set(request.proxy, proxy);
    return;
  }
  if (request.op === 'start-scrape') {
    proxies.set(request.proxy, await ScrapeProxy.start(request.upstream, request.port));
    return;
  }
  const proxy = proxies.get(request.proxy);
  if (!proxy) throw new Error(`fault proxy ${request.proxy} is not running in the proxy process`);
  // A stopped proxy stays known, so that a late inject or revert gets its own answer ("the proxy is stopped").
  if (request.op === 'inject') {
    if (proxy instanceof ScrapeProxy) await proxy.inject(request.fault as DriverFault);
    else await proxy.inject(request.fault as ProxyFault);
  } else if (request.op === 'revert') await proxy.revert(request.id);
  else await proxy.stop();
}

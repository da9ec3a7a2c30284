// The entry of the thread firedrill's dependency proxies run in (threaded-fault-proxy.ts). A
// worker does not inherit the TypeScript loader its parent registered, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./proxy-thread.ts');

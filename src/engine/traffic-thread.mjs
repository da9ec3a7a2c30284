// The entry of the thread firedrill's traffic runs in (threaded-traffic.ts). A worker does not
// inherit the TypeScript loader its parent registered, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./traffic-thread.ts');

import type { StreamClock, StreamsTally, StreamTarget } from './paced-stream.ts';

// The messages between firedrill's main thread and the thread its traffic runs in
// (traffic-helper.ts and traffic-helper-entry.ts). Plain data: they cross a structured clone.

/** Start streams as run `run`, or stop run `run` early (its requests in flight are still awaited). */
export type TrafficHelperRequest =
  | { readonly op: 'run'; readonly run: number; readonly targets: readonly StreamTarget[]; readonly clock: StreamClock }
  | { readonly op: 'stop'; readonly run: number };

/** The helper has loaded (once); how many answers a run has had, and how many failed, so far; its tally at the end; or why it failed. */
export type TrafficHelperReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly run: number; readonly requests: number; readonly failures: number }
  | { readonly kind: 'done'; readonly run: number; readonly tally: StreamsTally }
  | { readonly kind: 'failed'; readonly run: number; readonly message: string; readonly stack: string | undefined };

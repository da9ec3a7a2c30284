import { helperPort } from '../helper-port.ts';
import { runStreams } from './paced-stream.ts';
import type { TrafficHelperReply, TrafficHelperRequest } from './traffic-helper-protocol.ts';

// Runs in the traffic process (started by traffic-helper.ts): the streams of every drill of this
// process, each run reporting its counts as they grow and its tally at the end.

/** How often a run's counts go to the main thread (its live progress and traffic timeline sample each second). */
const PROGRESS_MS = 100;

const port = helperPort<TrafficHelperRequest, TrafficHelperReply>('traffic-helper-entry.ts');
const post = (reply: TrafficHelperReply) => port.reply(reply);

const runs = new Map<number, AbortController>();

port.onRequest((request) => {
  if (request.op === 'stop') runs.get(request.run)?.abort();
  else void run(request);
});
post({ kind: 'ready' });

async function run({ run, targets, clock }: Extract<TrafficHelperRequest, { op: 'run' }>): Promise<void> {
  const stop = new AbortController();
  runs.set(run, stop);
  let requests = 0;
  let failures = 0;
  let posted = 0;
  const progress = setInterval(() => {
    if (requests === posted) return;
    posted = requests;
    post({ kind: 'progress', run, requests, failures });
  }, PROGRESS_MS);
  try {
    const tally = await runStreams(targets, clock, stop.signal, (ok) => {
      requests += 1;
      if (!ok) failures += 1;
    });
    post({ kind: 'done', run, tally });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    post({ kind: 'failed', run, message: failure.message, stack: failure.stack });
  } finally {
    clearInterval(progress);
    runs.delete(run);
  }
}

import type { FaultRecord } from '../faults/fault-controller.ts';
import { causingFault } from '../faults/causing-fault.ts';
import type { AlertTrace } from '../observe/alert-trace.ts';
import type { Episode } from './verdicts.ts';

/** An episode of an alert together with the fault it is the drill's doing of. */
export interface CausedEpisode {
  readonly episode: Episode;
  readonly cause: FaultRecord;
}

const at = (iso: string) => Date.parse(iso);

/**
 * The episodes a fault caused: those that went pending after a fault on a service the alert
 * watches, each attributed to the latest such fault before it. An episode already pending when
 * the first fault came is not the drill's doing, and never counts.
 */
export function causedEpisodes(trace: AlertTrace, faultsOnWatched: readonly FaultRecord[]): CausedEpisode[] {
  return trace.episodes.flatMap((episode) => {
    const cause = causingFault(faultsOnWatched, at(episode.pendingAt));
    return cause ? [{ episode, cause }] : [];
  });
}

/**
 * Episodes that began after their cause was reverted, with no new fault since: the alert came
 * back on its own, e.g. a window still holding the fault's data after a brief resolve. With
 * `fired`, only those that fired again (flapping: a second page); without, only those that stayed
 * pending (a flicker at the threshold that `for` kept from anyone's pager).
 */
export function comebacks(caused: readonly CausedEpisode[], fired: boolean): CausedEpisode[] {
  return caused.filter(({ episode, cause }) => cause.revertedAtMs !== null && at(episode.pendingAt) > cause.revertedAtMs && (episode.firingAt !== null) === fired);
}

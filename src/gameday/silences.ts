import { FiredrillError } from '../errors.ts';
import { httpJson } from '../observe/http-json.ts';
import { escapeRegexValue } from '../observe/promql-parts.ts';

/** A silence firedrill created on Alertmanager for a drill's alerts. */
export interface DrillSilence {
  readonly id: string;
  readonly alertmanager: string;
}

/**
 * Silences every alert a drill names (`alertname=~"A|B"`) until `untilMs`, so that receivers stay
 * quiet while Alertmanager still routes (its receivers stay visible) and inhibits.
 */
export async function silenceAlerts(alertmanager: string, alertnames: readonly string[], untilMs: number, comment: string): Promise<DrillSilence> {
  const response = await httpJson<{ silenceID?: string }>('POST', `${alertmanager}/api/v2/silences`, {
    body: {
      matchers: [{ name: 'alertname', value: alertnames.map(escapeRegexValue).join('|'), isRegex: true, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(untilMs).toISOString(),
      createdBy: 'firedrill',
      comment,
    },
  });
  if (response.status !== 200 || !response.body?.silenceID) throw new FiredrillError('ENVIRONMENT', `Alertmanager ${alertmanager} refused the drill's silence (${response.status}: ${JSON.stringify(response.body).slice(0, 200)})`);
  return { id: response.body.silenceID, alertmanager };
}

/** Expires a silence; one already gone (expired, or removed by a person) counts as removed. */
export async function removeSilence(silence: DrillSilence): Promise<void> {
  const url = `${silence.alertmanager}/api/v2/silence/${encodeURIComponent(silence.id)}`;
  const response = await httpJson('DELETE', url);
  if (response.status === 200 || response.status === 404) return;
  // Alertmanager refuses to expire a silence that is already expired (500): that one is gone.
  const now = await httpJson<{ status?: { state?: string } }>('GET', url);
  if (now.status === 404 || now.body?.status?.state === 'expired') return;
  throw new FiredrillError('ENVIRONMENT', `Alertmanager ${silence.alertmanager} did not remove silence ${silence.id} (${response.status}: ${JSON.stringify(response.body).slice(0, 200)})`);
}

import { listText } from './list-text.ts';
/** Which alert an expectation is about: its name and, optionally, labels that pick one of its series. */
interface AlertSelector {
  readonly alert: string;
  readonly labels?: Readonly<Record<string, string>>;
}

import type { ExpectationKind } from '../report/run-result.ts';

/** What a scenario asserts about one alert, as plain data. Timings are rule time (scaled by the harness). */
export type Expectation =
  | (AlertSelector & { readonly kind: 'fires'; readonly detectWithin?: string; readonly fireWithin?: string; readonly fireAfter?: string })
  | (AlertSelector & { readonly kind: 'doesNotFire' })
  | (AlertSelector & { readonly kind: 'inhibitedBy'; readonly source: string })
  | (AlertSelector & { readonly kind: 'notifies'; readonly receiver: string | readonly string[]; readonly notifyWithin?: string })
  | (AlertSelector & { readonly kind: 'resolves'; readonly resolveWithin?: string })
  | (AlertSelector & { readonly kind: 'mayFire' });

/**
 * Front door for expectations. `labels` picks one series of an alert that fires per label set.
 * @example expectAlert('APIDown').toFire({ detectWithin: '1m' }); expectAlert('LLMProviderFailure', { service: 'openai_api' }).toBeInhibitedBy('CircuitBreakerOpen')
 */
export function expectAlert(alert: string, labels?: Record<string, string>) {
  const selector: AlertSelector = labels === undefined ? { alert } : { alert, labels };
  return {
    /**
     * Goes pending after a fault on a service it watches, within `detectWithin` of it (default: its
     * longest range + 2 scrapes + 1 evaluation), then firing no earlier than `for` and no later
     * than `for` + one evaluation interval; and, given `fireWithin`, firing within that much rule
     * time of the fault (the deadline a pager is owed: a `for` or an `offset` that grew past it fails);
     * given `fireAfter`, firing no sooner than that much rule time after the fault (the patience the
     * alert owes a blip: a `for` shortened or removed below it fails).
     */
    toFire: (options: { detectWithin?: string; fireWithin?: string; fireAfter?: string } = {}): Expectation => ({ kind: 'fires', ...selector, ...options }),
    /** Never reaches firing during the scenario. The one way to say "does not fire" (Vitest: `expect(trace).toNotFire()`). */
    toNotFire: (): Expectation => ({ kind: 'doesNotFire', ...selector }),
    /** May fire or not; the verdict does not depend on it. Drills are exhaustive: an alert that fires unnamed fails the drill. */
    toMayFire: (): Expectation => ({ kind: 'mayFire', ...selector }),
    /** Alertmanager suppresses it by `source` while `source` fires, and no receiver is notified of it meanwhile. */
    toBeInhibitedBy: (source: string): Expectation => ({ kind: 'inhibitedBy', ...selector, source }),
    /**
     * Its firing notifications reach `receiver`, and only `receiver`; given `notifyWithin`, the first
     * reaches each receiver within that much rule time of the fault that made it fire (what a pager
     * waits, routing included: a `group_wait` or `group_interval` that grew past it fails).
     */
    toNotify: (receiver: string | readonly string[], options: { notifyWithin?: string } = {}): Expectation => ({ kind: 'notifies', ...selector, receiver, ...options }),
    /**
     * Resolves after the fault that caused it is reverted, is inactive at the end, and does not come
     * back without a new fault; given `resolveWithin`, resolves within that much rule time of the
     * revert (a `keep_firing_for` or a window that grew past it fails).
     */
    toResolve: (options: { resolveWithin?: string } = {}): Expectation => ({ kind: 'resolves', ...selector, ...options }),
  };
}

// Every expectation kind is a kind of result.
const _kindsAreResultKinds: Expectation['kind'] extends ExpectationKind ? true : never = true;
void _kindsAreResultKinds;

/** Every alert an expectation names: its own, and the source of an inhibition. */
export function alertsNamedBy(expectations: readonly Expectation[]): string[] {
  return [...new Set(expectations.flatMap((e) => (e.kind === 'inhibitedBy' ? [e.alert, e.source] : [e.alert])))];
}

/** `Alert` or `Alert{k="v"}`, as PromQL writes a selector. */
export function selectorName(e: { readonly alert: string; readonly labels?: Readonly<Record<string, string>> }): string {
  const labels = Object.entries(e.labels ?? {});
  return labels.length === 0 ? e.alert : `${e.alert}{${labels.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** `, no sooner than 1m and by 2m after its fault`: the scenario's fireAfter and fireWithin, as one span. */
function firingSpan(e: { readonly fireAfter?: string; readonly fireWithin?: string }): string {
  const parts = [e.fireAfter ? `no sooner than ${e.fireAfter}` : '', e.fireWithin ? `by ${e.fireWithin}` : ''].filter((p) => p !== '');
  return parts.length === 0 ? '' : `, ${parts.join(' and ')} after its fault`;
}

export function describeExpectation(e: Expectation): string {
  const name = selectorName(e);
  switch (e.kind) {
    case 'fires':
      return `${name} fires within its for window${e.detectWithin ? ` and is detected within ${e.detectWithin}` : ''}${firingSpan(e)}`;
    case 'doesNotFire':
      return `${name} does not fire`;
    case 'inhibitedBy':
      return `${name} is inhibited by ${e.source} and not notified while ${e.source} fires`;
    case 'notifies': {
      const within = e.notifyWithin ? `, within ${e.notifyWithin} of its fault` : '';
      return typeof e.receiver === 'string' ? `${name} notifies receiver ${e.receiver}${within}` : `${name} notifies receivers ${listText(e.receiver)}, each of them${within}`;
    }
    case 'resolves':
      return `${name} resolves after its fault is reverted${e.resolveWithin ? `, within ${e.resolveWithin}` : ''}`;
    case 'mayFire':
      return `${name} may fire`;
  }
}

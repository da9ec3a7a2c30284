/** What a scenario asserts about one alert, as plain data. Timings are rule time (scaled by the harness). */
export type Expectation =
  | { readonly kind: 'fires'; readonly alert: string; readonly labels?: Readonly<Record<string, string>>; readonly detectWithin?: string }
  | { readonly kind: 'doesNotFire'; readonly alert: string }
  | { readonly kind: 'inhibitedBy'; readonly alert: string; readonly source: string }
  | { readonly kind: 'notifies'; readonly alert: string; readonly receiver: string }
  | { readonly kind: 'resolves'; readonly alert: string };

/**
 * Front door for expectations.
 * @example expectAlert('APIDown').toFire({ detectWithin: '1m' }); expectAlert('HighAPILatency').toBeInhibitedBy('APIDown')
 */
export function expectAlert(alert: string) {
  return {
    /** Goes pending and then firing no earlier than `for` and no later than `for` + one evaluation interval. */
    toFire: (options: { detectWithin?: string; labels?: Record<string, string> } = {}): Expectation => ({ kind: 'fires', alert, ...options }),
    /** Never reaches firing during the scenario. */
    toNotFire: (): Expectation => ({ kind: 'doesNotFire', alert }),
    /** Alertmanager suppresses it by `source` while `source` fires, and no receiver is notified of it meanwhile. */
    toBeInhibitedBy: (source: string): Expectation => ({ kind: 'inhibitedBy', alert, source }),
    /** Its firing notifications reach `receiver`, and only `receiver`. */
    toNotify: (receiver: string): Expectation => ({ kind: 'notifies', alert, receiver }),
    /** Resolves in Prometheus after the fault that caused it is reverted. */
    toResolve: (): Expectation => ({ kind: 'resolves', alert }),
  };
}

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'fires':
      return `${e.alert} fires within its for window${e.detectWithin ? ` and is detected within ${e.detectWithin}` : ''}`;
    case 'doesNotFire':
      return `${e.alert} does not fire`;
    case 'inhibitedBy':
      return `${e.alert} is inhibited by ${e.source} and not notified while ${e.source} fires`;
    case 'notifies':
      return `${e.alert} notifies receiver ${e.receiver}`;
    case 'resolves':
      return `${e.alert} resolves after its fault is reverted`;
  }
}

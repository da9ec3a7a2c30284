/** Which alert an expectation is about: its name and, optionally, labels that pick one of its series. */
interface AlertSelector {
  readonly alert: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What a scenario asserts about one alert, as plain data. Timings are rule time (scaled by the harness). */
export type Expectation =
  | (AlertSelector & { readonly kind: 'fires'; readonly detectWithin?: string })
  | (AlertSelector & { readonly kind: 'doesNotFire' })
  | (AlertSelector & { readonly kind: 'inhibitedBy'; readonly source: string })
  | (AlertSelector & { readonly kind: 'notifies'; readonly receiver: string })
  | (AlertSelector & { readonly kind: 'resolves' });

/**
 * Front door for expectations. `labels` picks one series of an alert that fires per label set.
 * @example expectAlert('APIDown').toFire({ detectWithin: '1m' }); expectAlert('LLMProviderFailure', { service: 'openai_api' }).toBeInhibitedBy('CircuitBreakerOpen')
 */
export function expectAlert(alert: string, labels?: Record<string, string>) {
  const selector: AlertSelector = labels === undefined ? { alert } : { alert, labels };
  return {
    /** Goes pending and then firing no earlier than `for` and no later than `for` + one evaluation interval. */
    toFire: (options: { detectWithin?: string } = {}): Expectation => ({ kind: 'fires', ...selector, ...options }),
    /** Never reaches firing during the scenario. */
    toNotFire: (): Expectation => ({ kind: 'doesNotFire', ...selector }),
    /** Alertmanager suppresses it by `source` while `source` fires, and no receiver is notified of it meanwhile. */
    toBeInhibitedBy: (source: string): Expectation => ({ kind: 'inhibitedBy', ...selector, source }),
    /** Its firing notifications reach `receiver`, and only `receiver`. */
    toNotify: (receiver: string): Expectation => ({ kind: 'notifies', ...selector, receiver }),
    /** Resolves in Prometheus after the fault that caused it is reverted. */
    toResolve: (): Expectation => ({ kind: 'resolves', ...selector }),
  };
}

/** `Alert` or `Alert{k="v"}`, as PromQL writes a selector. */
export function selectorName(e: { readonly alert: string; readonly labels?: Readonly<Record<string, string>> }): string {
  const labels = Object.entries(e.labels ?? {});
  return labels.length === 0 ? e.alert : `${e.alert}{${labels.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

export function describeExpectation(e: Expectation): string {
  const name = selectorName(e);
  switch (e.kind) {
    case 'fires':
      return `${name} fires within its for window${e.detectWithin ? ` and is detected within ${e.detectWithin}` : ''}`;
    case 'doesNotFire':
      return `${name} does not fire`;
    case 'inhibitedBy':
      return `${name} is inhibited by ${e.source} and not notified while ${e.source} fires`;
    case 'notifies':
      return `${name} notifies receiver ${e.receiver}`;
    case 'resolves':
      return `${name} resolves after its fault is reverted`;
  }
}

/**
 * A series' labels but its name, in a fixed order: what identifies one target's or one alert's
 * series across the families it has (`up` and `scrape_duration_seconds`, `ALERTS` and
 * `ALERTS_FOR_STATE`), whatever order Prometheus listed the labels in.
 */
export function seriesIdentity(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).filter(([name]) => name !== '__name__').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

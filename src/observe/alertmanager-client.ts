import { answersReady, getJson } from './http-json.ts';

/** An alert as Alertmanager's API v2 shows it. */
export interface AlertmanagerAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  readonly startsAt: string;
  readonly endsAt: string;
}

export class AlertmanagerClient {
  constructor(readonly baseUrl: string) {}

  /** Every alert Alertmanager holds, inhibited and silenced ones included. */
  alerts(): Promise<AlertmanagerAlert[]> {
    return getJson<AlertmanagerAlert[]>(`${this.baseUrl}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`);
  }

  ready(): Promise<boolean> {
    return answersReady(this.baseUrl);
  }
}

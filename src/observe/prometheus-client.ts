import { answersReady, getJson } from './http-json.ts';

interface ApiEnvelope<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

export interface TargetState {
  readonly job: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly scrapeUrl: string;
}

export interface RuleGroupState {
  readonly name: string;
  readonly rules: readonly { name: string; type: 'alerting' | 'recording'; state?: string }[];
}

export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
}

export interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  /** [unix seconds, value] pairs, exactly as stored. */
  readonly values: readonly [number, string][];
}

/** The few Prometheus HTTP API calls firedrill needs. */
export class PrometheusClient {
  constructor(readonly baseUrl: string) {}

  async #api<T>(pathAndQuery: string): Promise<T> {
    const envelope = await getJson<ApiEnvelope<T>>(`${this.baseUrl}${pathAndQuery}`);
    if (envelope.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${envelope.error}`);
    return envelope.data;
  }

  async targets(): Promise<TargetState[]> {
    const data = await this.#api<{ activeTargets: { labels: Record<string, string>; health: TargetState['health']; lastError: string; scrapeUrl: string }[] }>(
      '/api/v1/targets?state=active',
    );
    return data.activeTargets.map((t) => ({ job: t.labels.job ?? '', health: t.health, lastError: t.lastError, scrapeUrl: t.scrapeUrl }));
  }

  async ruleGroups(): Promise<RuleGroupState[]> {
    return (await this.#api<{ groups: RuleGroupState[] }>('/api/v1/rules')).groups;
  }

  async alertmanagers(): Promise<string[]> {
    const data = await this.#api<{ activeAlertmanagers: { url: string }[] }>('/api/v1/alertmanagers');
    return data.activeAlertmanagers.map((a) => a.url);
  }

  async alerts(): Promise<ActiveAlert[]> {
    return (await this.#api<{ alerts: ActiveAlert[] }>('/api/v1/alerts')).alerts;
  }

  /** Raw samples of a range-vector selector evaluated at `atSeconds`, with their exact timestamps. */
  async rawSamples(selector: string, rangeSeconds: number, atSeconds: number): Promise<RangeSeries[]> {
    const query = `${selector}[${Math.ceil(rangeSeconds)}s]`;
    const data = await this.#api<{ resultType: string; result: RangeSeries[] }>(
      `/api/v1/query?query=${encodeURIComponent(query)}&time=${atSeconds}`,
    );
    return data.result;
  }

  /** An instant query's vector result at `atMs`. */
  async instant(query: string, atMs: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const data = await this.#api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>(
      `/api/v1/query?query=${encodeURIComponent(query)}&time=${atMs / 1000}`,
    );
    return data.resultType === 'vector' ? data.result : [];
  }

  /** What an expression evaluates to now: vector, scalar, string or matrix. */
  async resultType(query: string): Promise<string> {
    return (await this.#api<{ resultType: string }>(`/api/v1/query?query=${encodeURIComponent(query)}`)).resultType;
  }

  /** A range query's matrix result over [fromMs, toMs] every `stepMs`. */
  async range(query: string, fromMs: number, toMs: number, stepMs: number): Promise<RangeSeries[]> {
    const data = await this.#api<{ resultType: string; result: RangeSeries[] }>(
      `/api/v1/query_range?query=${encodeURIComponent(query)}&start=${fromMs / 1000}&end=${toMs / 1000}&step=${stepMs / 1000}`,
    );
    return data.result;
  }

  /** Metric family metadata as scraped (TYPE/HELP lines), by family name. */
  async metadata(): Promise<Record<string, { type: string; help: string; unit: string }[]>> {
    return this.#api('/api/v1/metadata');
  }

  /** Label sets of the series matching `selector` in the last `lookbackSeconds`. */
  async series(selector: string, lookbackSeconds: number): Promise<Record<string, string>[]> {
    const end = Date.now() / 1000;
    return this.#api(`/api/v1/series?match[]=${encodeURIComponent(selector)}&start=${end - lookbackSeconds}&end=${end}`);
  }

  ready(): Promise<boolean> {
    return answersReady(this.baseUrl);
  }
}

import { request } from 'undici';

/** Per-call timeout for control-plane calls (Prometheus, Alertmanager, fault endpoints). */
export const CONTROL_CALL_TIMEOUT_MS = 5_000;

export interface JsonResponse<T> {
  readonly status: number;
  readonly body: T;
}

export async function httpJson<T = unknown>(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse<T>> {
  const timeoutMs = options.timeoutMs ?? CONTROL_CALL_TIMEOUT_MS;
  const response = await request(url, {
    method,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await response.body.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: response.statusCode, body: body as T };
}

/** GET that insists on 2xx, for APIs where anything else is a bug to report. */
export async function getJson<T>(url: string, timeoutMs?: number): Promise<T> {
  const response = await httpJson<T>('GET', url, { timeoutMs });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`GET ${url} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}`);
  }
  return response.body;
}

/** True when the server answers `GET /-/ready` with 2xx (Prometheus and Alertmanager both have it). */
export async function answersReady(baseUrl: string): Promise<boolean> {
  try {
    await getJson(`${baseUrl}/-/ready`, 1_000);
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the URL answers with any HTTP status within the timeout: alive, whatever it says. */
export async function answers(url: string, timeoutMs: number): Promise<void> {
  await httpJson('GET', url, { timeoutMs });
}

/** A base URL without its trailing slashes, so that paths can be appended to it. */
export const trimSlash = (url: string): string => url.replace(/\/+$/, '');

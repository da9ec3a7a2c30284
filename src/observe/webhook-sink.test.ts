import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { WebhookSink } from './webhook-sink.ts';

const sink = await WebhookSink.start();
afterAll(() => sink.stop());

const post = (url: string, receiverInPayload: string) =>
  request(url, { method: 'POST', body: JSON.stringify({ receiver: receiverInPayload, alerts: [{ status: 'firing', labels: { alertname: 'APIDown' }, fingerprint: 'f' }] }) }).then(async (r) => {
    await r.body.dump();
    return r.statusCode;
  });

describe('the webhook sink', () => {
  it('records a notification under the receiver name of its URL, exactly as configured, whatever Alertmanager writes in the payload', async () => {
    // Alertmanager quotes regex characters in the payload: web.hook arrives as web\.hook (recorded before).
    expect(await post(`${sink.url}/${encodeURIComponent('web.hook')}`, 'web\\.hook')).toBe(200);
    expect(await post(`${sink.url}/${encodeURIComponent('team (eu)/west')}`, 'x')).toBe(200);
    expect(sink.notifications().map((n) => n.receiver)).toEqual(['web.hook', 'team (eu)/west']);
  });

  it("refuses a post that does not carry the run's secret, and does not record it", async () => {
    const before = sink.notifications().length;
    const base = new URL(sink.url);
    expect(await post(`${base.origin}/receivers/web.hook`, 'web.hook')).toBe(404);
    expect(await post(`${base.origin}/${'0'.repeat(48)}/receivers/web.hook`, 'web.hook')).toBe(404);
    expect(sink.notifications()).toHaveLength(before);
    expect(sink.refused).toBe(2);
  });
});

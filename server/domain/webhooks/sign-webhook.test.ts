import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret } from './new-webhook-secret.ts';
import { renderWebhookBody } from './render-webhook-body.ts';
import { signWebhook } from './sign-webhook.ts';

describe('webhook signatures', () => {
  it('verify with a Standard Webhooks library and the endpoint\'s secret', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const body = renderWebhookBody({ eventId: 'evt_1', type: 'reward.funded', createdAt: Date.UTC(2026, 0, 1), data: { rewardId: 'rwd_1', amount: 1000 } });
    const headers = signWebhook(secret, 'evt_1', Date.now(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({
      type: 'reward.funded', timestamp: '2026-01-01T00:00:00.000Z', data: { rewardId: 'rwd_1', amount: 1000 },
    });
  });

  it('do not verify a changed body, or with another secret', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'evt_1', Date.now(), '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', { ...headers })).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify('{"a":1}', { ...headers })).toThrow();
  });
});

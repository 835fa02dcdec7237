/**
 * @module
 * The Standard Webhooks signature headers of one delivery attempt.
 */
import { Webhook } from 'standardwebhooks';

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs `body` as message `id` sent at `sentAt` (epoch ms): HMAC-SHA256 over
 * `id.timestamp.body` with the endpoint's secret, as the specification says.
 * @example signWebhook('whsec_…', 'evt_1', Date.now(), '{"type":"reward.funded",…}')
 */
export function signWebhook(secret: string, id: string, sentAt: number, body: string): WebhookHeaders {
  const timestamp = new Date(sentAt);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

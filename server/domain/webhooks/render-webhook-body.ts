/**
 * @module
 * The JSON body of a webhook, in the Standard Webhooks shape.
 */
import type { Event } from '../../../contract/webhooks.ts';

/**
 * `{ type, timestamp, data }`: the event's type, when it happened (ISO 8601) and its data.
 * @example renderWebhookBody({ eventId: 'evt_1', type: 'referral.created', createdAt: 0, data: {} }) // '{"type":"referral.created","timestamp":"1970-01-01T00:00:00.000Z","data":{}}'
 */
export function renderWebhookBody(event: Event): string {
  return JSON.stringify({ type: event.type, timestamp: new Date(event.createdAt).toISOString(), data: event.data });
}

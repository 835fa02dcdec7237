/**
 * @module
 * Webhooks: the events a partner can receive, their endpoints, and the
 * delivery log. Payloads follow the Standard Webhooks specification: a JSON
 * body `{ type, timestamp, data }`, signed in the `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers.
 */
import { z } from 'zod';
import './messages.ts';

export const EVENT_TYPES = [
  'referral.clicked',
  'referral.created',
  'referral.converted',
  'referral.expired',
  'reward.approved',
  'reward.rejected',
  'reward.funded',
  'reward.funding_failed',
  'reward.payment_failed',
  'reward.clawed_back',
] as const;
export const eventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventType>;

const epochMs = z.number().int().meta({ description: 'Epoch milliseconds' });

export const event = z
  .object({
    eventId: z.string().meta({ description: 'Also the `webhook-id` header: the same on every retry and replay, so you can drop duplicates', example: 'evt_3c9e1f7a5b2d8c64' }),
    type: eventType,
    createdAt: epochMs,
    data: z.record(z.string(), z.unknown()).meta({ description: 'A referral object for referral.*, a reward object for reward.* (with `clawback` for reward.clawed_back)' }),
  })
  .meta({ id: 'Event' });
export type Event = z.infer<typeof event>;

const webhookUrl = z.url({ protocol: /^https?$/, error: 'Must be an http or https URL' }).max(2048);

export const webhookEndpoint = z
  .object({
    endpointId: z.string().meta({ example: 'whe_5a1b2c3d4e5f6a7b' }),
    url: z.string(),
    eventTypes: z.array(eventType).meta({ description: 'The events sent to it; empty for all' }),
    description: z.string().nullable(),
    enabled: z.boolean(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const webhookEndpointWithSecret = webhookEndpoint
  .extend({ secret: z.string().meta({ description: 'The signing secret (whsec_…) for your Standard Webhooks library' }) })
  .meta({ id: 'WebhookEndpointWithSecret' });

export const webhookEndpointCreate = z.strictObject({
  url: webhookUrl,
  eventTypes: z.array(eventType).max(EVENT_TYPES.length).optional(),
  description: z.string().trim().max(500).optional(),
});
export type WebhookEndpointCreate = z.infer<typeof webhookEndpointCreate>;

export const webhookEndpointUpdate = z.strictObject({
  url: webhookUrl.optional(),
  eventTypes: z.array(eventType).max(EVENT_TYPES.length).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  enabled: z.boolean().optional(),
});
export type WebhookEndpointUpdate = z.infer<typeof webhookEndpointUpdate>;

export const webhookAttempt = z.object({
  attemptedAt: epochMs,
  statusCode: z.number().int().nullable().meta({ description: 'Your endpoint\'s HTTP status; null when it could not be reached' }),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

export const webhookDelivery = z
  .object({
    deliveryId: z.string().meta({ example: 'whd_0f1e2d3c4b5a6978' }),
    endpointId: z.string(),
    eventId: z.string(),
    eventType,
    status: z.enum(['pending', 'succeeded', 'failed']).meta({ description: 'failed: every attempt over about three days failed; replay it when your endpoint is back' }),
    attempts: z.number().int(),
    nextAttemptAt: epochMs.nullable(),
    deliveredAt: epochMs.nullable(),
    createdAt: epochMs,
    log: z.array(webhookAttempt).meta({ description: 'Every attempt, oldest first' }),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookEndpointList = z.object({ endpoints: z.array(webhookEndpoint) });

const limit = z.string().regex(/^\d{1,4}$/, 'Must be a whole number').transform(Number)
  .pipe(z.number().min(1, 'Must be at least 1').max(500, 'Must be at most 500')).default(100);

export const deliveryListQuery = z.strictObject({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
  eventId: z.string().min(1).max(64).optional(),
  limit,
});

export const deliveryList = z.object({ deliveries: z.array(webhookDelivery) });

export const eventListQuery = z.strictObject({
  type: eventType.optional(),
  since: z.string().regex(/^\d{1,15}$/, 'Must be epoch milliseconds').transform(Number).optional()
    .meta({ description: 'Only events created at or after this time (epoch ms)' }),
  limit,
});

export const eventList = z.object({ events: z.array(event).meta({ description: 'Oldest first' }) });

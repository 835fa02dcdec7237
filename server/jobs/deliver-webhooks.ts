/**
 * @module
 * The webhook job: fan new events out to endpoints, then send what is due,
 * signed per Standard Webhooks, a batch at a time in parallel.
 */
import { toEvent } from '../store/events.ts';
import type { Clock } from '../domain/clock.ts';
import { renderWebhookBody } from '../domain/webhooks/render-webhook-body.ts';
import { signWebhook } from '../domain/webhooks/sign-webhook.ts';
import type { Store } from '../store/connect.ts';
import { claimDeliveries, dispatchEvents, recordAttempt, type ClaimedDelivery } from '../store/deliveries.ts';
import { sendWebhook, type SendOptions } from './send-webhook.ts';

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  send: SendOptions;
  batchSize?: number;
}

/**
 * One run; returns how many attempts were made.
 * @example await deliverWebhooks({ store, clock, send: { timeoutMs: 10_000, allowPrivate: false, userAgent: 'Offertown' } })
 */
export async function deliverWebhooks(deps: DeliveryDeps): Promise<number> {
  const { store, clock } = deps;
  await dispatchEvents(store, clock.now());
  // The lease outlives the slowest attempt, so no other process takes a delivery still being sent.
  const claimed = await claimDeliveries(store, clock.now(), deps.send.timeoutMs * 2 + 30_000, deps.batchSize ?? 20);
  await Promise.all(claimed.map((delivery) => attempt(deps, delivery)));
  return claimed.length;
}

async function attempt({ store, clock, send }: DeliveryDeps, claimed: ClaimedDelivery): Promise<void> {
  const body = renderWebhookBody(toEvent(claimed.event));
  const headers = signWebhook(claimed.secret, claimed.event.id, clock.now(), body);
  const outcome = await sendWebhook(claimed.url, body, headers, send);
  await recordAttempt(store, claimed, outcome, clock.now());
}

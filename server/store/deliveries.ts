/**
 * @module
 * Webhook deliveries: events fanned out to endpoints, claimed under a lease
 * (so several processes share the work and a crashed one's work is taken over
 * when its lease ends), attempted, logged, retried with backoff, replayed.
 * Delivery is at least once: a receiver drops repeats by `webhook-id`.
 */
import type { Kysely } from 'kysely';
import type { EventType, WebhookDelivery } from '../../contract/webhooks.ts';
import { newRecordId } from '../domain/new-record-id.ts';
import { scheduleDeliveryRetry } from '../domain/webhooks/schedule-delivery-retry.ts';
import type { Store } from './connect.ts';
import type { Database, EventRow, WebhookDeliveryRow } from './schema.ts';

/**
 * Creates the deliveries of events not yet fanned out, one per enabled
 * endpoint of the event's program that subscribes to its type and existed
 * when it happened. Idempotent, so processes racing here create each once.
 */
export async function dispatchEvents(store: Store, now: number, limit = 500): Promise<number> {
  const events = await store.db.selectFrom('events').selectAll().where('dispatched_at', 'is', null).orderBy('created_at').orderBy('seq').limit(limit).execute();
  if (!events.length) return 0;
  const programIds = [...new Set(events.map((e) => e.program_id))];
  const endpoints = await store.db
    .selectFrom('webhook_endpoints')
    .select(['id', 'program_id', 'event_types', 'created_at'])
    .where('program_id', 'in', programIds)
    .where('disabled_at', 'is', null)
    .execute();
  const deliveries = events.flatMap((event) => endpoints
    .filter((endpoint) => endpoint.program_id === event.program_id && endpoint.created_at <= event.created_at)
    .filter((endpoint) => {
      const types = JSON.parse(endpoint.event_types) as string[];
      return types.length === 0 || types.includes(event.type);
    })
    .map((endpoint) => ({
      id: newRecordId('whd'),
      event_id: event.id,
      endpoint_id: endpoint.id,
      program_id: event.program_id,
      status: 'pending' as const,
      next_attempt_at: now,
      created_at: now,
    })));
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < deliveries.length; i += 200) {
      await trx.insertInto('webhook_deliveries').values(deliveries.slice(i, i + 200))
        .onConflict((oc) => oc.columns(['event_id', 'endpoint_id']).doNothing()).execute();
    }
    await trx.updateTable('events').set({ dispatched_at: now }).where('id', 'in', events.map((e) => e.id)).execute();
  });
  return events.length;
}

export interface ClaimedDelivery {
  delivery: WebhookDeliveryRow;
  event: EventRow;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` due deliveries to enabled endpoints for `leaseMs`: one
 * conditional UPDATE, with FOR UPDATE SKIP LOCKED on PostgreSQL so processes
 * never wait on each other's rows.
 */
export async function claimDeliveries(store: Store, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  let due = store.db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where('endpoint_id', 'in', (eb) => eb.selectFrom('webhook_endpoints').select('id').where('disabled_at', 'is', null))
    .orderBy('next_attempt_at')
    .limit(limit);
  if (store.dialect === 'postgres') due = due.forUpdate().skipLocked();
  const claimed = await store.db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
  if (!claimed.length) return [];
  const [events, endpoints] = await Promise.all([
    store.db.selectFrom('events').selectAll().where('id', 'in', claimed.map((d) => d.event_id)).execute(),
    store.db.selectFrom('webhook_endpoints').select(['id', 'url', 'secret']).where('id', 'in', claimed.map((d) => d.endpoint_id)).execute(),
  ]);
  return claimed.flatMap((delivery) => {
    const event = events.find((e) => e.id === delivery.event_id);
    const endpoint = endpoints.find((e) => e.id === delivery.endpoint_id);
    return event && endpoint ? [{ delivery, event, url: endpoint.url, secret: endpoint.secret }] : [];
  });
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Logs an attempt and settles the delivery: delivered on a 2xx, else retried
 * on the backoff schedule or, after the last attempt, failed. A process whose
 * lease was taken over only logs.
 */
export async function recordAttempt(store: Store, claimed: ClaimedDelivery, outcome: AttemptOutcome, now: number): Promise<void> {
  const { delivery } = claimed;
  const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const next = succeeded ? null : scheduleDeliveryRetry(delivery.attempts, now);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('webhook_attempts').values({
      id: newRecordId('wha'),
      delivery_id: delivery.id,
      attempted_at: now,
      status_code: outcome.statusCode,
      error: outcome.error?.slice(0, 1000) ?? null,
      duration_ms: Math.round(outcome.durationMs),
    }).execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status: succeeded ? 'succeeded' : next === null ? 'failed' : 'pending',
        next_attempt_at: next,
        lease_until: null,
        last_attempt_at: now,
        last_status_code: outcome.statusCode,
        last_error: outcome.error?.slice(0, 1000) ?? null,
        ...(succeeded && { delivered_at: now }),
      })
      .where('id', '=', delivery.id)
      .where('lease_until', '=', delivery.lease_until)
      .execute();
  });
}

/**
 * Ends every lease at once. Only for SQLite at start-up: there a single
 * process runs the jobs, so any lease left is a dead process's.
 */
export async function releaseLeases(store: Store): Promise<void> {
  await store.db.updateTable('webhook_deliveries').set({ lease_until: null }).where('lease_until', 'is not', null).execute();
  await store.db.updateTable('rewards').set({ funding_lease_until: null }).where('funding_lease_until', 'is not', null).execute();
}

export interface DeliveryQuery {
  status?: WebhookDelivery['status'] | undefined;
  eventId?: string | undefined;
  limit: number;
}

/** The endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries(db: Kysely<Database>, programId: string, endpointId: string, query: DeliveryQuery): Promise<WebhookDelivery[]> {
  let q = db
    .selectFrom('webhook_deliveries')
    .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
    .selectAll('webhook_deliveries')
    .select('events.type as event_type')
    .where('webhook_deliveries.program_id', '=', programId)
    .where('webhook_deliveries.endpoint_id', '=', endpointId);
  if (query.status) q = q.where('webhook_deliveries.status', '=', query.status);
  if (query.eventId) q = q.where('webhook_deliveries.event_id', '=', query.eventId);
  const rows = await q.orderBy('webhook_deliveries.created_at', 'desc').orderBy('webhook_deliveries.id', 'desc').limit(query.limit).execute();
  const attempts = rows.length
    ? await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('attempted_at').orderBy('id').execute()
    : [];
  return rows.map((row) => ({
    deliveryId: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type as EventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    log: attempts.filter((a) => a.delivery_id === row.id)
      .map((a) => ({ attemptedAt: a.attempted_at, statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
  }));
}

/**
 * Sends a delivery again at the next run, with the same `webhook-id`,
 * whatever its status, and starts its retry schedule afresh. False when the
 * endpoint has no such delivery.
 */
export async function replayDelivery(db: Kysely<Database>, programId: string, endpointId: string, deliveryId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_until: null, attempts: 0 })
    .where('program_id', '=', programId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

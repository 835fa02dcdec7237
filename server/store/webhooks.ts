/**
 * @module
 * A program's webhook endpoints.
 */
import type { Kysely } from 'kysely';
import type { EventType, WebhookEndpoint, WebhookEndpointCreate, WebhookEndpointUpdate } from '../../contract/webhooks.ts';
import { newRecordId } from '../domain/new-record-id.ts';
import { newWebhookSecret } from '../domain/webhooks/new-webhook-secret.ts';
import type { Database, WebhookEndpointRow } from './schema.ts';

export function toWebhookEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    endpointId: row.id,
    url: row.url,
    eventTypes: JSON.parse(row.event_types) as EventType[],
    description: row.description,
    enabled: row.disabled_at === null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A new endpoint with its signing secret (shown to the partner here and by `getWebhookSecret`). */
export async function createWebhookEndpoint(
  db: Kysely<Database>,
  programId: string,
  input: WebhookEndpointCreate,
  now: number,
): Promise<WebhookEndpoint & { secret: string }> {
  const row: WebhookEndpointRow = {
    id: newRecordId('whe'),
    program_id: programId,
    url: input.url,
    secret: newWebhookSecret(),
    event_types: JSON.stringify([...new Set(input.eventTypes ?? [])]),
    description: input.description ?? null,
    disabled_at: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('webhook_endpoints').values(row).execute();
  return { ...toWebhookEndpoint(row), secret: row.secret };
}

export async function listWebhookEndpoints(db: Kysely<Database>, programId: string): Promise<WebhookEndpoint[]> {
  const rows = await db.selectFrom('webhook_endpoints').selectAll().where('program_id', '=', programId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toWebhookEndpoint);
}

/** The endpoint with its secret, or null when the program has no such endpoint. */
export async function getWebhookEndpoint(db: Kysely<Database>, programId: string, endpointId: string): Promise<(WebhookEndpoint & { secret: string }) | null> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('program_id', '=', programId).where('id', '=', endpointId).executeTakeFirst();
  return row ? { ...toWebhookEndpoint(row), secret: row.secret } : null;
}

/** Changes the given fields; null when the program has no such endpoint. */
export async function updateWebhookEndpoint(
  db: Kysely<Database>,
  programId: string,
  endpointId: string,
  update: WebhookEndpointUpdate,
  now: number,
): Promise<WebhookEndpoint | null> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      updated_at: now,
      ...(update.url !== undefined && { url: update.url }),
      ...(update.eventTypes !== undefined && { event_types: JSON.stringify([...new Set(update.eventTypes)]) }),
      ...(update.description !== undefined && { description: update.description }),
      ...(update.enabled !== undefined && { disabled_at: update.enabled ? null : eb.fn.coalesce('disabled_at', eb.val(now)) }),
    }))
    .where('program_id', '=', programId)
    .where('id', '=', endpointId)
    .returningAll()
    .executeTakeFirst();
  return row ? toWebhookEndpoint(row) : null;
}

/** Deletes the endpoint with its deliveries and their log; false when there is no such endpoint. */
export async function deleteWebhookEndpoint(db: Kysely<Database>, programId: string, endpointId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('webhook_endpoints').select('id').where('program_id', '=', programId).where('id', '=', endpointId).executeTakeFirst();
    if (!found) return false;
    const deliveries = trx.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId);
    await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', endpointId).execute();
    await trx.deleteFrom('webhook_endpoints').where('id', '=', endpointId).execute();
    return true;
  });
}

/**
 * @module
 * The outbox. An event is written inside the transaction of the change it
 * reports, so a change is never lost without its event nor an event sent for
 * a change that was rolled back. (Referral events are written by triggers,
 * see migration 0004; the rest here.)
 */
import type { Kysely, Transaction } from 'kysely';
import type { Event, EventType } from '../../contract/webhooks.ts';
import { newRecordId } from '../domain/new-record-id.ts';
import type { Database, EventRow } from './schema.ts';

export interface NewEvent {
  programId: string;
  type: EventType;
  subjectId: string;
  data: Record<string, unknown>;
  now: number;
}

/** @example await recordEvent(trx, { programId, type: 'reward.funded', subjectId: rewardId, data: reward, now }) */
export async function recordEvent(trx: Transaction<Database>, event: NewEvent): Promise<string> {
  const id = newRecordId('evt');
  await trx
    .insertInto('events')
    .values({ id, program_id: event.programId, type: event.type, subject_id: event.subjectId, data: JSON.stringify(event.data), created_at: event.now, dispatched_at: null })
    .execute();
  return id;
}

export function toEvent(row: EventRow): Event {
  return { eventId: row.id, type: row.type as EventType, createdAt: row.created_at, data: JSON.parse(row.data) as Record<string, unknown> };
}

export interface EventQuery {
  type?: EventType | undefined;
  /** Events created at or after, epoch ms. */
  since?: number | undefined;
  limit: number;
}

/** The program's events, oldest first. */
export async function listEvents(db: Kysely<Database>, programId: string, query: EventQuery): Promise<Event[]> {
  let q = db.selectFrom('events').selectAll().where('program_id', '=', programId);
  if (query.type) q = q.where('type', '=', query.type);
  if (query.since !== undefined) q = q.where('created_at', '>=', query.since);
  const rows = await q.orderBy('created_at').orderBy('seq').limit(query.limit).execute();
  return rows.map(toEvent);
}

/**
 * @module
 * Writes `expired` on clicked and pending referrals whose program's
 * attribution window has passed. Reads already show them expired; writing it
 * makes the status stick and emits `referral.expired` (by the referrals
 * trigger, in the same statement). Safe with several processes: a row already
 * expired no longer matches, so it is expired, and reported, once.
 */
import { sql } from 'kysely';
import type { Store } from './connect.ts';

const DAY_MS = 86_400_000;

/** Expires up to `limit` overdue referrals; returns how many. */
export async function expireReferrals(store: Store, now: number, limit = 1000): Promise<number> {
  const overdue = sql<boolean>`referrals.created_at < ${now} - (select p.attribution_window_days from programs p where p.id = referrals.program_id) * cast(${DAY_MS} as bigint)`;
  const result = await store.db
    .updateTable('referrals')
    .set({ status: 'expired', updated_at: now })
    .where('status', 'in', ['clicked', 'pending'])
    .where('id', 'in', (eb) => eb.selectFrom('referrals').select('id').where('status', 'in', ['clicked', 'pending']).where(overdue).limit(limit))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * @module
 * Controls only `offertown demo` offers: time travel for a referral's rewards,
 * so a newcomer sees funding without waiting out the confirmation period.
 */
import type { Store } from './connect.ts';

/** Ends the confirmation period of the referral's rewards now; returns how many changed. */
export async function skipConfirmationPeriod(store: Store, programId: string, referralId: string, now: number): Promise<number> {
  const result = await store.db
    .updateTable('rewards')
    .set({ matures_at: now, updated_at: now })
    .where('program_id', '=', programId)
    .where('referral_id', '=', referralId)
    .where('matures_at', '>', now)
    .where('status', 'in', ['awaiting_approval', 'approved'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

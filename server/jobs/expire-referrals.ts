/**
 * @module
 * The expiry job: referrals whose attribution window passed without a
 * conversion are written `expired`, and `referral.expired` is emitted.
 */
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/connect.ts';
import { expireReferrals } from '../store/expiry.ts';

/**
 * Expires every overdue referral, a batch at a time; returns how many.
 * @example await expireOverdueReferrals({ store, clock })
 */
export async function expireOverdueReferrals({ store, clock }: { store: Store; clock: Clock }): Promise<number> {
  let total = 0;
  for (let batch = await expireReferrals(store, clock.now()); batch > 0; batch = await expireReferrals(store, clock.now())) total += batch;
  return total;
}

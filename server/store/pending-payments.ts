/**
 * @module
 * Payments that funded a reward before they settled (Stripe's `processing`,
 * as bank debits are). The reward stays funded either way: the referrer was
 * credited. A payment that fails is taken back from the partner's account,
 * which then owes it, and the partner hears of it (`reward.payment_failed`).
 */
import { planPaymentFailure } from '../domain/ledger/plan-funding.ts';
import type { Store } from './connect.ts';
import { recordEvent } from './events.ts';
import { postMovement } from './ledger.ts';
import { readReward } from './rewards.ts';

/** How often a pending payment is looked up: bank debits take days, so hourly is timely enough. */
export const PAYMENT_CHECK_INTERVAL_MS = 3_600_000;

export interface PendingPayment {
  rewardId: string;
  paymentId: string;
}

/** Pending payments due for a look, the longest-waiting first. */
export async function duePendingPayments(store: Store, now: number, limit: number): Promise<PendingPayment[]> {
  const rows = await store.db
    .selectFrom('rewards')
    .select(['id', 'payment_id'])
    .where('payment_check_at', '<=', now)
    .where('payment_pending_since', 'is not', null)
    .orderBy('payment_check_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ rewardId: row.id, paymentId: row.payment_id! }));
}

/** Still pending: look again in an hour. */
export async function recordPaymentStillPending(store: Store, payment: PendingPayment, now: number): Promise<void> {
  await store.db
    .updateTable('rewards')
    .set({ payment_check_at: now + PAYMENT_CHECK_INTERVAL_MS })
    .where('id', '=', payment.rewardId)
    .where('payment_pending_since', 'is not', null)
    .execute();
}

/** The payment settled: nothing more to check. False when it was no longer pending. */
export async function recordPaymentSettled(store: Store, payment: PendingPayment, now: number): Promise<boolean> {
  const result = await store.db
    .updateTable('rewards')
    .set({ payment_pending_since: null, payment_check_at: null, updated_at: now })
    .where('id', '=', payment.rewardId)
    .where('payment_id', '=', payment.paymentId)
    .where('payment_pending_since', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The payment failed: the partner's account is debited what it was credited,
 * so it owes the charge again. Once, whichever process sees it first.
 */
export async function recordPaymentFailed(
  store: Store, payment: PendingPayment, provider: string, failure: { code: string; message: string }, now: number,
): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const query = trx.selectFrom('rewards').selectAll()
      .where('id', '=', payment.rewardId)
      .where('payment_id', '=', payment.paymentId)
      .where('payment_pending_since', 'is not', null);
    const row = await (store.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    if (!row) return false;
    await postMovement(trx, {
      kind: 'payment_failed',
      lines: planPaymentFailure({ partnerId: row.partner_id, charged: row.funding_charge ?? 0, provider }),
      partnerId: row.partner_id,
      rewardId: row.id,
      now,
    });
    await trx
      .updateTable('rewards')
      .set({
        payment_pending_since: null,
        payment_check_at: null,
        funding_error_code: failure.code.slice(0, 100),
        funding_error_message: `The payment failed after funding; you owe it: ${failure.message}`.slice(0, 1000),
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    await recordEvent(trx, { programId: row.program_id, type: 'reward.payment_failed', subjectId: row.id, data: await readReward(trx, row.id), now });
    return true;
  });
}

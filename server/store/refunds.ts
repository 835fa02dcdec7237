/**
 * @module
 * Refunds and disputes of a conversion, and the clawbacks they cause: before
 * funding a reward is reduced; after funding the clawback is a ledger movement
 * from the wallet back to the partner. Idempotent on the partner's key.
 */
import type { Transaction } from 'kysely';
import type { RefundBody, RefundResponse } from '../../contract/rewards.ts';
import { ApiError, invalidField, referralNotFound } from '../domain/api-error.ts';
import { planClawback } from '../domain/ledger/plan-clawback.ts';
import { newRecordId } from '../domain/new-record-id.ts';
import { calculateClawback } from '../domain/rewards/calculate-clawback.ts';
import { calculateCommission } from '../domain/rewards/calculate-commission.ts';
import { isUniqueViolation, type Store } from './connect.ts';
import { recordEvent } from './events.ts';
import { postMovement } from './ledger.ts';
import { isFundingInFlight, lockReferral, readReward, selectRewards, toReward } from './rewards.ts';
import type { Database, RefundRow } from './schema.ts';

/** Thrown inside the transaction when a reward changed under it; the refund is then judged again. */
class RewardMoved extends Error {}

const ATTEMPTS = 5;

/**
 * Records a refund (or dispute) of a converted referral and claws its rewards
 * back in proportion, all in one transaction.
 * @example await recordRefund(store, programId, referralId, { amount: 4333, idempotencyKey: 'refund_1' }, now)
 */
export async function recordRefund(store: Store, programId: string, referralId: string, body: RefundBody, now: number): Promise<RefundResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute((trx) => refundInTransaction(trx, store, programId, referralId, body, now));
    } catch (error) {
      const retry = error instanceof RewardMoved || isUniqueViolation(error);
      if (!retry || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function refundInTransaction(
  trx: Transaction<Database>,
  store: Store,
  programId: string,
  referralId: string,
  body: RefundBody,
  now: number,
): Promise<RefundResponse> {
  const referral = await lockReferral(trx, store.dialect, programId, referralId);
  if (!referral) throw referralNotFound();
  if (referral.status !== 'converted') throw new ApiError('REFERRAL_NOT_CONVERTED', 'Only a converted referral can be refunded');

  const refunds = await trx.selectFrom('refunds').selectAll().where('referral_id', '=', referralId).execute();
  const dispute = body.dispute ?? false;
  const replayed = refunds.find((r) => r.idempotency_key === body.idempotencyKey);
  if (replayed) {
    if (replayed.amount !== body.amount || Boolean(replayed.dispute) !== dispute) {
      throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was used for a different refund of this referral');
    }
    return response(trx, replayed, refunds, true);
  }

  const value = referral.conversion_value ?? 0;
  const previous = refunds.reduce((sum, r) => sum + r.amount, 0);
  if (previous + body.amount > value) {
    throw invalidField('amount', `At most ${value - previous} cents of this conversion remain refundable`);
  }
  const refund: RefundRow = {
    id: newRecordId('rfd'),
    program_id: programId,
    referral_id: referralId,
    idempotency_key: body.idempotencyKey,
    amount: body.amount,
    dispute: dispute ? 1 : 0,
    reason: body.reason ?? null,
    created_at: now,
  };
  await trx.insertInto('refunds').values(refund).execute();
  const refundedTotal = previous + body.amount;
  const voided = dispute || refunds.some((r) => r.dispute === 1);

  const query = selectRewards(trx).where('rewards.referral_id', '=', referralId).where('rewards.status', '!=', 'rejected');
  const rows = await (store.dialect === 'postgres' ? query.forUpdate('rewards') : query).execute();
  for (const row of rows) {
    const target = Math.max(row.clawed_back, calculateClawback({ reward: row.original_amount, conversionValue: value, refundedTotal, voided }));
    const taken = target - row.clawed_back;
    if (taken === 0) continue;
    const funded = row.funded_at !== null;
    const standing = row.original_amount - target;
    let commission = 0;
    if (funded) {
      const rate = { basisPoints: row.commission_bps ?? 0, fixed: row.commission_fixed ?? 0 };
      commission = calculateCommission(row.original_amount - row.clawed_back, rate) - calculateCommission(standing, rate);
      await postMovement(trx, {
        kind: 'clawback',
        lines: planClawback({ wallet: row.wallet, partnerId: row.partner_id, reward: taken, commission }),
        partnerId: row.partner_id,
        rewardId: row.id,
        now,
      });
    }
    // A reward whose charge is under way keeps its status: recording the charge applies the clawback.
    const voids = standing === 0 && !isFundingInFlight(row);
    const changed = await trx
      .updateTable('rewards')
      .set({ clawed_back: target, updated_at: now, ...(voids && { status: 'voided', voided_at: now, next_funding_at: null }) })
      .where('id', '=', row.id)
      .where('clawed_back', '=', row.clawed_back)
      .where('status', '=', row.status)
      .where((eb) => (funded
        ? eb('funded_at', 'is not', null)
        : row.funding_reward === null ? eb('funding_reward', 'is', null) : eb('funding_reward', '=', row.funding_reward)))
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) throw new RewardMoved();
    await recordEvent(trx, {
      programId,
      type: 'reward.clawed_back',
      subjectId: row.id,
      data: { ...(await readReward(trx, row.id)), clawback: { amount: taken, commission, refundId: refund.id, dispute, beforeFunding: !funded } },
      now,
    });
  }
  return response(trx, refund, [...refunds, refund], false);
}

async function response(trx: Transaction<Database>, refund: RefundRow, all: RefundRow[], idempotent: boolean): Promise<RefundResponse> {
  const rewards = await selectRewards(trx).where('rewards.referral_id', '=', refund.referral_id).orderBy('rewards.beneficiary', 'desc').execute();
  return {
    refundId: refund.id,
    referralId: refund.referral_id,
    amount: refund.amount,
    dispute: refund.dispute === 1,
    refundedTotal: all.reduce((sum, r) => sum + r.amount, 0),
    createdAt: refund.created_at,
    rewards: rewards.map(toReward),
    idempotent,
  };
}

/**
 * @module
 * Rewards: created with the conversion (in its transaction), approved or
 * rejected by the partner, and read by the partner API. Funding lives in
 * store/funding.ts, refunds in store/refunds.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ProgramRewards, Reward, RewardStatus } from '../../contract/rewards.ts';
import { ApiError, referralNotFound } from '../domain/api-error.ts';
import { friendWalletAccount, walletAccount } from '../domain/ledger/accounts.ts';
import { newRecordId } from '../domain/new-record-id.ts';
import { calculateCommission } from '../domain/rewards/calculate-commission.ts';
import { calculateReferralReward } from '../domain/rewards/calculate-referral-reward.ts';
import { decideReward, type RewardDecision } from '../domain/rewards/decide-reward.ts';
import type { Dialect, Store } from './connect.ts';
import { recordEvent } from './events.ts';
import type { Database, RewardRow } from './schema.ts';

const DAY_MS = 86_400_000;

export type RewardView = RewardRow & { referrer_identifier: string };

export function selectRewards(db: Kysely<Database>) {
  return db
    .selectFrom('rewards')
    .innerJoin('referrers', 'referrers.id', 'rewards.referrer_id')
    .selectAll('rewards')
    .select('referrers.identifier as referrer_identifier');
}

/** A charge for the reward was prepared and its outcome is not recorded yet. */
export const isFundingInFlight = (row: RewardRow) => row.funding_reward !== null && row.funded_at === null;

/** The reward as the partner API shows it. */
export function toReward(row: RewardView): Reward {
  const amount = row.original_amount - row.clawed_back;
  const rated = row.commission_bps !== null && row.commission_fixed !== null;
  return {
    rewardId: row.id,
    referralId: row.referral_id,
    beneficiary: row.beneficiary,
    referrerIdentifier: row.referrer_identifier,
    status: row.status,
    amount,
    originalAmount: row.original_amount,
    clawedBack: row.clawed_back,
    commission: rated ? calculateCommission(amount, { basisPoints: row.commission_bps!, fixed: row.commission_fixed! }) : null,
    currency: 'EUR',
    createdAt: row.created_at,
    approvedAt: row.approved_at,
    maturesAt: row.matures_at,
    fundedAt: row.funded_at,
    rejectedAt: row.rejected_at,
    rejectionReason: row.rejection_reason,
    fundingError: row.funding_error_code
      ? {
        code: row.funding_error_code,
        message: row.funding_error_message ?? '',
        attempts: row.funding_failures,
        nextAttemptAt: row.status === 'funding_failed' ? null : row.next_funding_at,
      }
      : null,
  };
}

/** Reads a reward again inside a transaction, for the event that reports its change. */
export async function readReward(db: Kysely<Database>, rewardId: string): Promise<Reward> {
  return toReward(await selectRewards(db).where('rewards.id', '=', rewardId).executeTakeFirstOrThrow());
}

export interface ConvertedReferral {
  programId: string;
  referralId: string;
  referrerId: string;
  conversionValue: number | null;
  convertedAt: number;
}

/**
 * The rewards a conversion earns under its program's current settings:
 * awaiting approval, or approved at once (with its event) under auto-approval.
 * Call inside the conversion's transaction.
 */
export async function createConversionRewards(trx: Transaction<Database>, referral: ConvertedReferral): Promise<void> {
  const program = await trx.selectFrom('programs').select(['partner_id', 'rewards']).where('id', '=', referral.programId).executeTakeFirstOrThrow();
  const settings = JSON.parse(program.rewards) as ProgramRewards;
  const now = referral.convertedAt;
  const beneficiaries = [
    { beneficiary: 'referrer' as const, rule: settings.referrerReward, wallet: walletAccount(referral.referrerId) },
    { beneficiary: 'friend' as const, rule: settings.friendReward, wallet: friendWalletAccount(referral.referralId) },
  ];
  for (const { beneficiary, rule, wallet } of beneficiaries) {
    const amount = calculateReferralReward(rule, referral.conversionValue);
    if (amount <= 0) continue;
    const id = newRecordId('rwd');
    await trx
      .insertInto('rewards')
      .values({
        id,
        program_id: referral.programId,
        partner_id: program.partner_id,
        referral_id: referral.referralId,
        referrer_id: referral.referrerId,
        beneficiary,
        wallet,
        status: settings.autoApprove ? 'approved' : 'awaiting_approval',
        original_amount: amount,
        created_at: now,
        updated_at: now,
        approved_at: settings.autoApprove ? now : null,
        matures_at: now + settings.confirmationPeriodDays * DAY_MS,
      })
      .execute();
    if (settings.autoApprove) {
      await recordEvent(trx, { programId: referral.programId, type: 'reward.approved', subjectId: id, data: await readReward(trx, id), now });
    }
  }
}

/**
 * The referral row, locked for the rest of the transaction on PostgreSQL so
 * decisions and refunds of one referral happen one after the other (SQLite
 * runs one write transaction at a time anyway).
 */
export async function lockReferral(trx: Transaction<Database>, dialect: Dialect, programId: string, referralId: string) {
  const query = trx
    .selectFrom('referrals')
    .select(['id', 'status', 'conversion_value'])
    .where('program_id', '=', programId)
    .where('id', '=', referralId);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export interface DecisionResult {
  referralId: string;
  rewards: Reward[];
}

/**
 * Approves or rejects every reward of a converted referral. Idempotent;
 * a reward that cannot take the decision (a rejected one approved, a funded
 * one rejected) fails the whole request with 409 and changes nothing.
 */
export async function decideReferralRewards(
  store: Store,
  programId: string,
  referralId: string,
  decision: RewardDecision,
  reason: string | undefined,
  now: number,
): Promise<DecisionResult> {
  return store.db.transaction().execute(async (trx) => {
    const referral = await lockReferral(trx, store.dialect, programId, referralId);
    if (!referral) throw referralNotFound();
    if (referral.status !== 'converted') throw new ApiError('REFERRAL_NOT_CONVERTED', 'The referral has no conversion, so it has no rewards to decide on');
    const rows = await selectRewards(trx).where('rewards.referral_id', '=', referralId).orderBy('rewards.beneficiary', 'desc').execute();
    const outcomes = rows.map((row) => ({ row, outcome: decideReward({ status: row.status, fundingInFlight: isFundingInFlight(row), funded: row.funded_at !== null }, decision) }));
    const conflict = outcomes.find((o) => o.outcome.kind === 'conflict');
    if (conflict && conflict.outcome.kind === 'conflict') throw new ApiError('REWARD_CONFLICT', conflict.outcome.message);

    for (const { row, outcome } of outcomes) {
      if (outcome.kind !== 'change') continue;
      const changed = await trx
        .updateTable('rewards')
        .set(outcome.status === 'approved'
          ? { status: 'approved', approved_at: now, updated_at: now }
          : { status: 'rejected', rejected_at: now, rejection_reason: reason ?? null, next_funding_at: null, updated_at: now })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .where('funding_reward', 'is', null)
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) throw new ApiError('REWARD_CONFLICT', 'The reward changed while deciding on it; try again');
      const type = outcome.status === 'approved' ? 'reward.approved' : 'reward.rejected';
      await recordEvent(trx, { programId, type, subjectId: row.id, data: await readReward(trx, row.id), now });
    }
    const rewards = await selectRewards(trx).where('rewards.referral_id', '=', referralId).orderBy('rewards.beneficiary', 'desc').execute();
    return { referralId, rewards: rewards.map(toReward) };
  });
}

export interface RewardQuery {
  status?: RewardStatus | undefined;
  referralId?: string | undefined;
  referrerIdentifier?: string | undefined;
  page: number;
  pageSize: number;
}

/** One page of the program's rewards, newest first. */
export async function listRewards(db: Kysely<Database>, programId: string, query: RewardQuery): Promise<{ rewards: Reward[]; total: number }> {
  let q = selectRewards(db).where('rewards.program_id', '=', programId);
  if (query.status) q = q.where('rewards.status', '=', query.status);
  if (query.referralId) q = q.where('rewards.referral_id', '=', query.referralId);
  if (query.referrerIdentifier) q = q.where('referrers.identifier', '=', query.referrerIdentifier);
  const [rows, count] = await Promise.all([
    q.orderBy('rewards.created_at', 'desc').orderBy('rewards.id', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rewards: rows.map(toReward), total: Number(count.total) };
}

/** One of the program's rewards, or null. */
export async function getReward(db: Kysely<Database>, programId: string, rewardId: string): Promise<Reward | null> {
  const row = await selectRewards(db).where('rewards.program_id', '=', programId).where('rewards.id', '=', rewardId).executeTakeFirst();
  return row ? toReward(row) : null;
}

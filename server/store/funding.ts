/**
 * @module
 * Maturation and funding of rewards, safe with several server processes on
 * one PostgreSQL. A charge is first prepared (its amounts and idempotency key
 * fixed, under a lease), then sent, then recorded: a process that dies in
 * between leaves the lease to expire, and the next one repeats the very same
 * charge, which the provider answers from its idempotency cache.
 */
import { sql, type Transaction } from 'kysely';
import { partnerAccount } from '../domain/ledger/accounts.ts';
import { planClawback } from '../domain/ledger/plan-clawback.ts';
import { planFunding } from '../domain/ledger/plan-funding.ts';
import { calculateCommission, type CommissionRate } from '../domain/rewards/calculate-commission.ts';
import { calculateFundingCharge } from '../domain/rewards/calculate-funding-charge.ts';
import { scheduleFundingRetry } from '../domain/rewards/schedule-funding-retry.ts';
import type { PartnerBilling } from '../payments/provider.ts';
import type { Store } from './connect.ts';
import { recordEvent } from './events.ts';
import { accountBalance, postMovement } from './ledger.ts';
import { PAYMENT_CHECK_INTERVAL_MS } from './pending-payments.ts';
import { readReward } from './rewards.ts';
import type { Database, RewardRow } from './schema.ts';

/** Approved rewards whose confirmation period is over become `matured`; returns how many. */
export async function matureRewards(store: Store, now: number): Promise<number> {
  const result = await store.db
    .updateTable('rewards')
    .set({ status: 'matured', updated_at: now })
    .where('status', '=', 'approved')
    .where('matures_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface PreparedCharge {
  rewardId: string;
  programId: string;
  partnerId: string;
  referralId: string;
  reward: number;
  commission: number;
  /** What the provider is to collect; 0 when nothing is collected (manual provider, or credit covers it). */
  charge: number;
  idempotencyKey: string;
  billing: PartnerBilling;
}

export interface ClaimOptions {
  now: number;
  rate: CommissionRate;
  /** Whether the provider collects money (false for manual: the charge stays 0). */
  collects: boolean;
  /** How long a claim is this process's before another may take it over. */
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` matured rewards that are due and prepares their
 * charges (or takes over a charge prepared by a process that died).
 */
export async function claimCharges(store: Store, options: ClaimOptions): Promise<PreparedCharge[]> {
  const { now } = options;
  const candidates = await store.db
    .selectFrom('rewards')
    .select('id')
    .where('status', '=', 'matured')
    .where((eb) => eb.or([eb('next_funding_at', 'is', null), eb('next_funding_at', '<=', now)]))
    .where((eb) => eb.or([eb('funding_lease_until', 'is', null), eb('funding_lease_until', '<', now)]))
    .orderBy('matures_at')
    .limit(options.limit)
    .execute();
  const prepared: PreparedCharge[] = [];
  for (const { id } of candidates) {
    const charge = await store.db.transaction().execute((trx) => prepareCharge(trx, store, id, options));
    if (charge) prepared.push(charge);
  }
  return prepared;
}

async function prepareCharge(trx: Transaction<Database>, store: Store, rewardId: string, options: ClaimOptions): Promise<PreparedCharge | null> {
  const { now } = options;
  const query = trx.selectFrom('rewards').selectAll().where('id', '=', rewardId);
  const row = await (store.dialect === 'postgres' ? query.forUpdate().skipLocked() : query).executeTakeFirst();
  const claimable = row && row.status === 'matured'
    && (row.next_funding_at === null || row.next_funding_at <= now)
    && (row.funding_lease_until === null || row.funding_lease_until < now);
  if (!row || !claimable) return null;

  const partner = await lockPartner(trx, store, row.partner_id);
  let reward = row.funding_reward;
  let commission = row.funding_commission;
  let charge = row.funding_charge;
  if (reward === null || commission === null || charge === null) {
    reward = row.original_amount - row.clawed_back;
    if (reward <= 0) {
      await trx.updateTable('rewards').set({ status: 'voided', voided_at: now, updated_at: now }).where('id', '=', row.id).execute();
      return null;
    }
    commission = calculateCommission(reward, options.rate);
    charge = options.collects ? calculateFundingCharge(reward + commission, await availableCredit(trx, row)) : 0;
  }
  await trx
    .updateTable('rewards')
    .set({
      funding_reward: reward,
      funding_commission: commission,
      funding_charge: charge,
      commission_bps: row.commission_bps ?? options.rate.basisPoints,
      commission_fixed: row.commission_fixed ?? options.rate.fixed,
      funding_lease_until: now + options.leaseMs,
      funding_attempts: row.funding_attempts + 1,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute();
  return {
    rewardId: row.id,
    programId: row.program_id,
    partnerId: row.partner_id,
    referralId: row.referral_id,
    reward,
    commission,
    charge,
    // Only a recorded failure moves to a new key: a repeat after a crash must be the same request.
    idempotencyKey: `offertown_${row.id}_${row.funding_failures}`,
    billing: { stripeCustomerId: partner.stripe_customer_id, stripePaymentMethodId: partner.stripe_payment_method_id },
  };
}

/** The partner row, locked on PostgreSQL so two processes never spend the same credit. */
async function lockPartner(trx: Transaction<Database>, store: Store, partnerId: string) {
  const query = trx.selectFrom('partners').select(['stripe_customer_id', 'stripe_payment_method_id']).where('id', '=', partnerId);
  return (store.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
}

/** The partner's credit, less what charges under way already count on. */
async function availableCredit(trx: Transaction<Database>, row: RewardRow): Promise<number> {
  const balance = await accountBalance(trx, partnerAccount(row.partner_id));
  const reserved = await trx
    .selectFrom('rewards')
    .select(sql<string | number>`coalesce(sum(funding_reward + funding_commission - funding_charge), 0)`.as('reserved'))
    .where('partner_id', '=', row.partner_id)
    .where('funding_reward', 'is not', null)
    .where('funded_at', 'is', null)
    .where('id', '!=', row.id)
    .executeTakeFirstOrThrow();
  return balance - Number(reserved.reserved);
}

/** Loads the reward under a lock when it still awaits the outcome of `prepared`. */
async function inFlight(trx: Transaction<Database>, store: Store, prepared: PreparedCharge): Promise<RewardRow | undefined> {
  const query = trx.selectFrom('rewards').selectAll().where('id', '=', prepared.rewardId);
  const row = await (store.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row && row.funded_at === null && row.funding_reward === prepared.reward && row.funding_charge === prepared.charge ? row : undefined;
}

/**
 * Records a funded reward: the funding and payment movements, then any
 * clawback that arrived while the charge was under way, and `reward.funded`.
 * A pending payment (a bank debit) is checked later by the payment check.
 * Recording twice is harmless: the second finds it funded and does nothing.
 */
export async function recordFunded(
  store: Store, prepared: PreparedCharge, provider: string, paymentId: string | null, now: number, paymentPending = false,
): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const row = await inFlight(trx, store, prepared);
    if (!row) return false;
    const { funding, payment } = planFunding({
      wallet: row.wallet, partnerId: row.partner_id, reward: prepared.reward, commission: prepared.commission, charged: prepared.charge, provider,
    });
    await postMovement(trx, { kind: 'funding', lines: funding, partnerId: row.partner_id, rewardId: row.id, now });
    await postMovement(trx, { kind: 'payment', lines: payment, partnerId: row.partner_id, rewardId: row.id, now });

    const standing = row.original_amount - row.clawed_back;
    if (standing < prepared.reward) {
      const rate = { basisPoints: row.commission_bps ?? 0, fixed: row.commission_fixed ?? 0 };
      await postMovement(trx, {
        kind: 'clawback',
        lines: planClawback({ wallet: row.wallet, partnerId: row.partner_id, reward: prepared.reward - standing, commission: prepared.commission - calculateCommission(standing, rate) }),
        partnerId: row.partner_id,
        rewardId: row.id,
        now,
      });
    }
    await trx
      .updateTable('rewards')
      .set({
        status: standing === 0 ? 'voided' : 'funded',
        ...(standing === 0 && { voided_at: now }),
        funded_at: now,
        payment_id: paymentId,
        payment_pending_since: paymentPending ? now : null,
        payment_check_at: paymentPending ? now + PAYMENT_CHECK_INTERVAL_MS : null,
        funding_lease_until: null,
        next_funding_at: null,
        funding_error_code: null,
        funding_error_message: null,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    await recordEvent(trx, { programId: row.program_id, type: 'reward.funded', subjectId: row.id, data: await readReward(trx, row.id), now });
    return true;
  });
}

export interface ChargeFailure {
  code: string;
  message: string;
  retryable: boolean;
}

/**
 * Records a failed charge: retried later with a new idempotency key and
 * fresh amounts, or `funding_failed` with the reason for the partner to see.
 */
export async function recordFundingFailure(store: Store, prepared: PreparedCharge, failure: ChargeFailure, now: number): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const row = await inFlight(trx, store, prepared);
    if (!row) return;
    const failures = row.funding_failures + 1;
    const next = scheduleFundingRetry(failures, now, failure.retryable);
    const voided = row.original_amount - row.clawed_back === 0;
    const givenUp = !voided && next === null;
    await trx
      .updateTable('rewards')
      .set({
        status: voided ? 'voided' : givenUp ? 'funding_failed' : 'matured',
        ...(voided && { voided_at: now }),
        funding_reward: null,
        funding_commission: null,
        funding_charge: null,
        commission_bps: null,
        commission_fixed: null,
        funding_failures: failures,
        funding_lease_until: null,
        next_funding_at: next,
        funding_error_code: failure.code.slice(0, 100),
        funding_error_message: failure.message.slice(0, 1000),
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    // Retries are quiet; giving up is news: only the partner can fix what failed.
    if (givenUp) await recordEvent(trx, { programId: row.program_id, type: 'reward.funding_failed', subjectId: row.id, data: await readReward(trx, row.id), now });
  });
}

/** Puts the partner's failed rewards back in line for funding (after their billing settings changed). */
export async function retryFailedFunding(store: Store, partnerId: string, now: number): Promise<number> {
  const result = await store.db
    .updateTable('rewards')
    .set({ status: 'matured', next_funding_at: now, updated_at: now })
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'funding_failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

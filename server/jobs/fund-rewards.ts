/**
 * @module
 * Maturation and funding: approved rewards past their confirmation period
 * mature, and matured rewards are charged to the partner (reward plus
 * commission) and credited to the wallet.
 */
import type { Clock } from '../domain/clock.ts';
import type { CommissionRate } from '../domain/rewards/calculate-commission.ts';
import type { PaymentProvider } from '../payments/provider.ts';
import type { Store } from '../store/connect.ts';
import { claimCharges, matureRewards, recordFunded, recordFundingFailure, type PreparedCharge } from '../store/funding.ts';

export interface FundingDeps {
  store: Store;
  clock: Clock;
  provider: PaymentProvider;
  commission: CommissionRate;
  /** How long a claimed charge is this process's; longer than a provider call can take. */
  leaseMs?: number;
  batchSize?: number;
}

export interface FundingRun {
  matured: number;
  funded: number;
  failed: number;
}

/**
 * One run: mature what is due, then fund a batch of matured rewards.
 * @example await fundRewards({ store, clock, provider: manualProvider(), commission: { basisPoints: 1000, fixed: 0 } })
 */
export async function fundRewards(deps: FundingDeps): Promise<FundingRun> {
  const { store, clock, provider } = deps;
  const matured = await matureRewards(store, clock.now());
  const charges = await claimCharges(store, {
    now: clock.now(),
    rate: deps.commission,
    collects: provider.collects,
    leaseMs: deps.leaseMs ?? 5 * 60_000,
    limit: deps.batchSize ?? 50,
  });
  let funded = 0;
  let failed = 0;
  for (const charge of charges) {
    if (await fundOne(deps, charge)) funded++;
    else failed++;
  }
  return { matured, funded, failed };
}

async function fundOne({ store, clock, provider }: FundingDeps, charge: PreparedCharge): Promise<boolean> {
  if (charge.charge === 0) return recordFunded(store, charge, provider.name, null, clock.now());
  const result = await provider.charge({
    partnerId: charge.partnerId,
    amount: charge.charge,
    currency: 'eur',
    idempotencyKey: charge.idempotencyKey,
    description: `Offertown reward ${charge.rewardId} (referral ${charge.referralId})`,
    metadata: { offertown_reward_id: charge.rewardId, offertown_referral_id: charge.referralId, offertown_program_id: charge.programId },
    billing: charge.billing,
  }).catch((error: unknown) => ({ ok: false as const, code: 'provider_error', message: String(error), retryable: true }));
  if (result.ok) return recordFunded(store, charge, provider.name, result.paymentId, clock.now(), result.pending ?? false);
  await recordFundingFailure(store, charge, result, clock.now());
  return false;
}

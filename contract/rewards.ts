/**
 * @module
 * The money flow's shapes: a program's reward settings, rewards, refunds and
 * the partner's billing settings. Amounts are integer cents (EUR) and
 * percentages basis points (1000 = 10 %), in requests and responses alike.
 */
import { z } from 'zod';
import './messages.ts';

/** An amount of money in integer cents. */
export const cents = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const rewardRule = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('fixed'),
      amount: cents.min(1).max(100_000_000).meta({ description: 'Reward in cents', example: 1000 }),
    }),
    z.strictObject({
      type: z.literal('percentage'),
      basisPoints: z.number().int().min(1).max(10_000).meta({ description: 'Share of the conversion value in basis points (1000 = 10 %)', example: 1000 }),
      maxAmount: cents.min(1).max(100_000_000).nullable().optional().meta({ description: 'Cap in cents; null for none' }),
    }),
  ])
  .meta({ id: 'RewardRule' });
export type RewardRule = z.infer<typeof rewardRule>;

export const programRewards = z
  .strictObject({
    referrerReward: rewardRule.nullable().meta({ description: 'What the referrer earns per conversion; null for nothing' }),
    friendReward: rewardRule.nullable().meta({ description: 'What the referred friend earns per conversion; null for nothing' }),
    confirmationPeriodDays: z.number().int().min(0).max(365)
      .meta({ description: 'Days after the conversion before an approved reward matures and is funded (your refund window)' }),
    autoApprove: z.boolean().meta({ description: 'Approve rewards at conversion instead of waiting for your approval' }),
  })
  .meta({ id: 'ProgramRewards' });
export type ProgramRewards = z.infer<typeof programRewards>;

/** A change of reward settings: only the fields sent change. */
export const programRewardsUpdate = programRewards.partial();

export const REWARD_STATUSES = ['awaiting_approval', 'approved', 'matured', 'funding_failed', 'funded', 'rejected', 'voided'] as const;
export const rewardStatus = z.enum(REWARD_STATUSES).meta({
  description: 'awaiting_approval → approved → matured (confirmation period over) → funded; or rejected; funding_failed when '
    + 'charging you failed for good (see fundingError); voided when refunds or a dispute took all of it back.',
});
export type RewardStatus = z.infer<typeof rewardStatus>;

const epochMs = z.number().int().meta({ description: 'Epoch milliseconds' });

export const reward = z
  .object({
    rewardId: z.string().meta({ example: 'rwd_4f1c9a0b7e2d3c58' }),
    referralId: z.string(),
    beneficiary: z.enum(['referrer', 'friend']),
    referrerIdentifier: z.string(),
    status: rewardStatus,
    amount: cents.meta({ description: 'What stands of the reward now, in cents: originalAmount − clawedBack' }),
    originalAmount: cents,
    clawedBack: cents.meta({ description: 'Cents taken back by refunds and disputes' }),
    commission: cents.nullable().meta({ description: 'The operator\'s commission on `amount`, fixed when you are charged at funding; null before (see GET /billing for the rate)' }),
    currency: z.literal('EUR'),
    createdAt: epochMs,
    approvedAt: epochMs.nullable(),
    maturesAt: epochMs.meta({ description: 'End of the confirmation period; funded at the first run after it once approved' }),
    fundedAt: epochMs.nullable(),
    rejectedAt: epochMs.nullable(),
    rejectionReason: z.string().nullable(),
    fundingError: z
      .object({
        code: z.string(),
        message: z.string(),
        attempts: z.number().int(),
        nextAttemptAt: epochMs.nullable().meta({ description: 'When funding is tried again; null when it gave up (update your billing settings to retry)' }),
      })
      .nullable(),
  })
  .meta({ id: 'Reward' });
export type Reward = z.infer<typeof reward>;

export const rewardDecisionBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional().meta({ description: 'Why; shown with the reward' }),
});

export const rewardDecisionResponse = z.object({
  referralId: z.string(),
  rewards: z.array(reward),
});

export const refundBody = z.strictObject({
  amount: cents.meta({ description: 'Refunded amount in cents (of the conversion value)', example: 4333 }),
  idempotencyKey: z.string().min(1).max(255).meta({ description: 'Your refund\'s ID; a replay with the same key returns the original result', example: 'refund_5521' }),
  reason: z.string().trim().max(500).optional(),
  dispute: z.boolean().optional().meta({ description: 'A chargeback: voids whatever stands of the rewards' }),
});
export type RefundBody = z.infer<typeof refundBody>;

export const refundResponse = z
  .object({
    refundId: z.string(),
    referralId: z.string(),
    amount: cents,
    dispute: z.boolean(),
    refundedTotal: cents.meta({ description: 'Every refund of this conversion so far' }),
    createdAt: epochMs,
    rewards: z.array(reward),
    idempotent: z.boolean(),
  })
  .meta({ id: 'Refund' });
export type RefundResponse = z.infer<typeof refundResponse>;

export const billing = z
  .object({
    provider: z.enum(['manual', 'stripe']).meta({ description: 'How the operator collects what you owe' }),
    stripeCustomerId: z.string().nullable(),
    stripePaymentMethodId: z.string().nullable(),
    balance: z.number().int().meta({ description: 'Your balance in cents: negative is owed to the operator, positive a credit used by the next charges' }),
    commission: z.object({ basisPoints: z.number().int(), fixed: cents }).meta({ description: 'The operator\'s commission on each reward' }),
  })
  .meta({ id: 'Billing' });
export type Billing = z.infer<typeof billing>;

export const billingUpdate = z.strictObject({
  stripeCustomerId: z.string().regex(/^cus_[A-Za-z0-9_]+$/, 'Must be a Stripe customer ID (cus_…)').nullable().optional(),
  stripePaymentMethodId: z.string().regex(/^(pm|card|src)_[A-Za-z0-9_]+$/, 'Must be a Stripe payment method ID (pm_…)').nullable().optional(),
});
export type BillingUpdate = z.infer<typeof billingUpdate>;

/** A whole number given as a query string, strictly digits. */
const queryInt = z.string().regex(/^\d{1,15}$/, 'Must be a whole number').transform(Number);

/** Page and page size of the money flow's list endpoints (at most `maxPageSize` per page). */
export function pageQuery(maxPageSize: number) {
  return {
    page: queryInt.pipe(z.number().min(1, 'Must be at least 1')).default(1),
    pageSize: queryInt.pipe(z.number().min(1, 'Must be at least 1').max(maxPageSize, `Must be at most ${maxPageSize}`)).default(25),
  };
}

export const pagination = z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

export function rewardListQuery(maxPageSize: number) {
  return z.strictObject({
    status: rewardStatus.optional(),
    referralId: z.string().min(1).max(64).optional(),
    referrerIdentifier: z.string().min(1).max(256).optional(),
    ...pageQuery(maxPageSize),
  });
}

export const rewardList = z.object({ rewards: z.array(reward), pagination });

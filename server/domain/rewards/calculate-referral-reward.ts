/**
 * @module
 * How much a conversion earns under a program's reward rule.
 */
import type { RewardRule } from '../../../contract/rewards.ts';
import { divideCents } from './divide-cents.ts';

/** Basis points in a whole: 10 000 bp = 100 %. */
export const BASIS_POINTS = 10_000;

/**
 * The reward in cents for a conversion of `conversionValue` cents: the fixed
 * amount, or the percentage of the value (rounded by `divideCents`) capped at
 * `maxAmount`. No rule, or a percentage of an unknown value, earns 0.
 * @example calculateReferralReward({ type: 'percentage', basisPoints: 1000, maxAmount: 1000 }, 12999) // 1000
 * @example calculateReferralReward({ type: 'fixed', amount: 500 }, null) // 500
 */
export function calculateReferralReward(rule: RewardRule | null, conversionValue: number | null): number {
  if (!rule) return 0;
  if (rule.type === 'fixed') return rule.amount;
  if (conversionValue === null) return 0;
  const share = divideCents(conversionValue, rule.basisPoints, BASIS_POINTS);
  return rule.maxAmount == null ? share : Math.min(share, rule.maxAmount);
}

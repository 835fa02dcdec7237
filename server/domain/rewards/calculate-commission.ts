/**
 * @module
 * The operator's commission, charged to the partner on top of a reward.
 */
import { BASIS_POINTS } from './calculate-referral-reward.ts';
import { divideCents } from './divide-cents.ts';

/** The operator's rate: a percentage in basis points and/or a fixed amount in cents, per reward. */
export interface CommissionRate {
  basisPoints: number;
  fixed: number;
}

/**
 * The commission on a reward of `reward` cents: its percentage (rounded by
 * `divideCents`) plus the fixed part. A reward of 0 (voided, or clawed back in
 * full) carries no commission, so the commission always follows what stands.
 * @example calculateCommission(1000, { basisPoints: 1500, fixed: 30 }) // 180
 * @example calculateCommission(0, { basisPoints: 1500, fixed: 30 }) // 0
 */
export function calculateCommission(reward: number, rate: CommissionRate): number {
  if (reward <= 0) return 0;
  return divideCents(reward, rate.basisPoints, BASIS_POINTS) + rate.fixed;
}

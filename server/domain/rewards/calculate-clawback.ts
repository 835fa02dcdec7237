/**
 * @module
 * How much of a reward refunds take back: in proportion to the refunded share
 * of the conversion value.
 */
import { divideCents } from './divide-cents.ts';

export interface ClawbackInput {
  /** The reward as first granted, in cents. */
  reward: number;
  /** The conversion's value in cents; null or 0 when none was reported. */
  conversionValue: number | null;
  /** Every refund of the conversion so far, summed, in cents. */
  refundedTotal: number;
  /** A dispute, or anything else that voids the reward whatever was refunded. */
  voided?: boolean;
}

/**
 * The total clawed back from a reward: `reward × refunded ÷ value`, rounded by
 * `divideCents`, computed on the running total of refunds (never per refund)
 * so partial refunds add up to exactly the whole reward. A full refund, a
 * conversion without a value, or a dispute takes back everything.
 * @example calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 4333 }) // 333
 * @example calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 12999 }) // 1000
 */
export function calculateClawback({ reward, conversionValue, refundedTotal, voided = false }: ClawbackInput): number {
  if (voided || !conversionValue || refundedTotal >= conversionValue) return reward;
  return divideCents(reward, Math.max(0, refundedTotal), conversionValue);
}

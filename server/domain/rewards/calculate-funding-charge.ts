/**
 * @module
 * What a partner's payment method is charged to fund one reward.
 */

/**
 * The charge for `due` cents (reward plus commission) when the partner holds
 * `credit` cents from earlier clawbacks: the credit is used first.
 * @example calculateFundingCharge(1150, 300) // 850
 * @example calculateFundingCharge(1150, -500) // 1150 (a debt is not charged here)
 */
export function calculateFundingCharge(due: number, credit: number): number {
  return due - Math.min(due, Math.max(0, credit));
}

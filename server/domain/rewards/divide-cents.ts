/**
 * @module
 * The one rounding rule of Offertown's money: a share of an amount in cents is
 * rounded to the nearest whole cent, and an exact half cent is rounded up
 * (away from zero; amounts are never negative). Every percentage and every
 * proportional clawback goes through here, computed exactly in BigInt so a
 * large order value times basis points cannot lose precision.
 */

/**
 * `amount × numerator ÷ denominator`, rounded to the nearest cent, halves up.
 * @example divideCents(12999, 1000, 10_000) // 1300 (10 % of 129.99 € is 12.999 €)
 * @example divideCents(5, 1, 2) // 3 (half a cent rounds up)
 */
export function divideCents(amount: number, numerator: number, denominator: number): number {
  if (![amount, numerator, denominator].every(Number.isSafeInteger) || amount < 0 || numerator < 0 || denominator <= 0) {
    throw new RangeError(`divideCents needs non-negative safe integers and a positive denominator, got ${amount} × ${numerator} ÷ ${denominator}`);
  }
  const product = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  const quotient = product / d;
  const remainder = product % d;
  return Number(remainder * 2n >= d ? quotient + 1n : quotient);
}

/**
 * @module
 * When a failed charge is tried again.
 */

const HOUR_MS = 3_600_000;

/** Waits after the 1st, 2nd and 3rd failed charge; after the 4th, funding gives up. */
export const FUNDING_RETRY_DELAYS_MS = [1 * HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS] as const;

/**
 * The time of the next attempt after `failures` failed ones, or null to give up
 * (also at once when retrying cannot help, such as a missing payment method).
 * @example scheduleFundingRetry(1, 0, true) // 3600000
 * @example scheduleFundingRetry(4, 0, true) // null
 */
export function scheduleFundingRetry(failures: number, now: number, retryable: boolean): number | null {
  const delay = FUNDING_RETRY_DELAYS_MS[failures - 1];
  return retryable && delay !== undefined ? now + delay : null;
}

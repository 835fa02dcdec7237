/**
 * @module
 * When a webhook that was not acknowledged is sent again: exponential
 * backoff, about three days in all, as the Standard Webhooks guidance suggests.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Attempts in all, the first included. */
export const DELIVERY_ATTEMPTS = 10;

/**
 * The wait after the `attempt`-th failed attempt: 1 min × 3^(attempt−1), at
 * most a day (1 m, 3 m, 9 m, 27 m, 81 m, ~4 h, ~12 h, 24 h, 24 h; 2.8 days in all).
 * @example deliveryRetryDelay(1) // 60000
 */
export function deliveryRetryDelay(attempt: number): number {
  return Math.min(MINUTE_MS * 3 ** (attempt - 1), DAY_MS);
}

/**
 * The time of the next attempt after `attempts` failed ones, or null when the
 * delivery has used all of its attempts.
 * @example scheduleDeliveryRetry(1, 0) // 60000
 * @example scheduleDeliveryRetry(10, 0) // null
 */
export function scheduleDeliveryRetry(attempts: number, now: number): number | null {
  return attempts >= DELIVERY_ATTEMPTS ? null : now + deliveryRetryDelay(attempts);
}

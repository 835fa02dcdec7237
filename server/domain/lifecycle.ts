/**
 * @module
 * The referral lifecycle: clicked → pending → converted, or expired when the
 * attribution window passes first. Expiry is a matter of time, so it is
 * computed at read time as well as written by the background job: a read never
 * shows a referral as open after its window has closed.
 */
import type { ReferralStatus } from '../../contract/referrals.ts';

const DAY_MS = 86_400_000;

/** Statuses a conversion may still come from. */
export const OPEN_STATUSES = ['clicked', 'pending'] as const satisfies ReferralStatus[];

/** Referrals created before this instant are past their window. */
export function attributionCutoff(now: number, windowDays: number): number {
  return now - windowDays * DAY_MS;
}

/** The status a reader sees: an open referral past its window is expired. */
export function effectiveStatus(stored: ReferralStatus, createdAt: number, cutoff: number): ReferralStatus {
  return createdAt < cutoff && (OPEN_STATUSES as readonly string[]).includes(stored) ? 'expired' : stored;
}

/**
 * @module
 * Identifiers of the money flow's and the webhooks' records, in the same form
 * as `ids.ts`: a type prefix and 64 random bits in hex.
 */
import { randomBytes } from 'node:crypto';

/** rwd reward, rfd refund, mov ledger movement, led ledger entry, evt event, whe endpoint, whd delivery, wha attempt. */
export type RecordPrefix = 'rwd' | 'rfd' | 'mov' | 'led' | 'evt' | 'whe' | 'whd' | 'wha';

/** @example newRecordId('rwd') // 'rwd_4f1c9a0b7e2d3c58' */
export function newRecordId(prefix: RecordPrefix): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

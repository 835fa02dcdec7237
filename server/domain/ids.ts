/**
 * @module
 * Identifiers. Prefixed like Stripe's (`ref_…`) so a stray ID in a log says
 * what it is; random, so they reveal neither counts nor order.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** Lower-case letters and digits without look-alikes (0/o, 1/l/i): easy to read aloud. */
const SHARE_CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Length of a referrer's share code, as the reference fixes it. */
export const SHARE_CODE_LENGTH = 8;

/**
 * A new ID with a type prefix and 16 random hex characters (64 bits).
 * @example newId('ref') // 'ref_9f86d081884c7d65'
 */
export function newId(prefix: 'prt' | 'key' | 'pub' | 'rfr' | 'ref'): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/**
 * A referrer's share code: 8 characters, about 39 bits, unique by database constraint.
 * @example newShareCode() // 'k3m9x2p4'
 */
export function newShareCode(): string {
  let code = '';
  for (let i = 0; i < SHARE_CODE_LENGTH; i++) code += SHARE_CODE_ALPHABET[randomInt(SHARE_CODE_ALPHABET.length)];
  return code;
}

/**
 * @module
 * Partner API keys: `oft_` followed by 32 hex characters (128 random bits).
 * Only a SHA-256 hash is stored; a slow hash buys nothing for a random
 * 128-bit secret. The first characters find the row, and the hash is then
 * compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^oft_[0-9a-f]{32}$/;

/** How much of the key locates its row: the prefix plus 8 hex characters. */
const LOOKUP_LENGTH = 12;

export interface IssuedKey {
  /** Shown to the partner once, never stored. */
  apiKey: string;
  lookup: string;
  hash: string;
}

/** A new key with what is stored of it. */
export function issueApiKey(): IssuedKey {
  const apiKey = `oft_${randomBytes(16).toString('hex')}`;
  return { apiKey, lookup: lookupOf(apiKey), hash: hashApiKey(apiKey) };
}

export function isWellFormedApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export function lookupOf(apiKey: string): string {
  return apiKey.slice(0, LOOKUP_LENGTH);
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Whether `apiKey` hashes to `storedHash`, in time independent of where they differ. */
export function apiKeyMatches(apiKey: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(apiKey), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * The text with anything shaped like an API key masked, for text that may hold
 * one by mistake (a key pasted into a URL) and is about to be logged.
 * @example maskApiKeys('/x?key=oft_0123…') // '/x?key=oft_[redacted]'
 */
export function maskApiKeys(text: string): string {
  return text.replace(/oft_[0-9a-f]{32}/gi, 'oft_[redacted]');
}

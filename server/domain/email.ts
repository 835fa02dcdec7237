/**
 * @module
 * The normal form of an email address, used for idempotency and matching:
 * trimmed and lower-cased. Dots and plus-tags are kept, since for most
 * providers they name different mailboxes.
 */

/** @example normalizeEmail(' Ana@Example.COM ') // 'ana@example.com' */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * @module
 * Reads the attribution cookie on the merchant's server, at checkout. No
 * dependencies: copy it with `attribution.ts` into any Node (or Deno, Bun)
 * backend.
 *
 * @example
 * const attribution = readAttribution(request.headers.cookie);
 * if (attribution?.clickId) {
 *   // The click is a referral already: report the purchase on it.
 *   await fetch(`https://<server>/api/v1/partners/referrals/${attribution.clickId}/convert`, …);
 * }
 */
import { COOKIE, parse, WINDOW_DAYS, type Attribution } from './attribution.ts';

export type { Attribution } from './attribution.ts';

export interface ReadOptions {
  /** The program's attribution window in days; older first touches are expired. Default 90. */
  windowDays?: number;
  /** Epoch ms to judge expiry by. Default now. */
  now?: number;
  /** Cookie name. Default `ot_ref`. */
  name?: string;
}

/** Something carrying a Cookie header: the header itself or a Node/Express/Fastify request. */
export type CookieSource = string | null | undefined | { headers: { cookie?: string | undefined } };

/**
 * Every value of cookie `name` in a Cookie header, in the order sent. A
 * browser may send two cookies of one name (say one for `shop.example` and an
 * older host-only one for `www.shop.example`).
 * @example cookieValues('a=1; ot_ref=x; b=2', 'ot_ref') // ['x']
 */
export function cookieValues(header: string | null | undefined, name: string): string[] {
  const values: string[] = [];
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
}

/**
 * The visitor's attribution, verified: the value has exactly the documented
 * shape (a share code of 8 lower-case letters and digits, a click ID or
 * nothing, 13 digits of first-seen time), is not from the future and its first
 * touch is within the window. Anything else reads as null.
 *
 * The cookie is not signed: like the `?ref=` link it came from, a visitor can
 * edit it. What it can claim is limited to an existing referral of your
 * program: Offertown answers 404 for an unknown click ID and refuses an
 * expired one when you convert.
 *
 * @example readAttribution('ot_ref=a1b2c3d4.ref_9f86d081884c7d65.1765467600000', { now: 1765467600000 })
 * // { code: 'a1b2c3d4', clickId: 'ref_9f86d081884c7d65', firstSeenAt: 1765467600000 }
 */
export function readAttribution(source: CookieSource, options: ReadOptions = {}): Attribution | null {
  const header = typeof source === 'object' && source !== null ? source.headers.cookie : source;
  const { windowDays = WINDOW_DAYS, now = Date.now(), name = COOKIE } = options;
  for (const value of cookieValues(header, name)) {
    const attribution = parse(value, windowDays, now);
    if (attribution) return attribution;
  }
  return null;
}

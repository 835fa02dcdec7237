/**
 * @module
 * The attribution cookie: one name and one format, shared by the tracker
 * (`/t.js`), the cookie middleware, the checkout helper and the server's own
 * referral-link cookie. Kept tiny because the tracker bundles it.
 *
 * Format: `<code>.<clickId>.<firstSeenAt>`, for example
 * `a1b2c3d4.ref_9f86d081884c7d65.1765467600000`. The click ID is empty when the
 * visitor came straight to the shop with `?ref=`: `a1b2c3d4..1765467600000`.
 * Every character is cookie-safe, so the value is never URL-encoded.
 */

/** The first-party cookie on the merchant's domain. */
export const COOKIE = 'ot_ref';

export const DAY_MS = 864e5;

/** The default attribution window, as a program starts with. */
export const WINDOW_DAYS = 90;

/** A referrer's share code, exactly as the server issues them. */
export const CODE = /^[a-z0-9]{8}$/;

/** A click ID (`ot_click`): the clicked referral's ID. */
export const CLICK = /^ref_[0-9a-f]{16}$/;

export interface Attribution {
  /** The referrer's share code. */
  code: string;
  /** The click this visitor came from (`ot_click`), null when they came straight to the shop. */
  clickId: string | null;
  /** Epoch ms of the first touch. */
  firstSeenAt: number;
}

/**
 * The cookie value for an attribution.
 * @example format({ code: 'a1b2c3d4', clickId: null, firstSeenAt: 1765467600000 }) // 'a1b2c3d4..1765467600000'
 */
export const format = (a: Attribution): string => a.code + '.' + (a.clickId || '') + '.' + a.firstSeenAt;

/**
 * The attribution in a cookie value, or null when the value is malformed,
 * more than a day in the future (a clock may be a little off, a forged value
 * far off) or older than the window.
 * @example parse('a1b2c3d4..1765467600000', 90, Date.now())
 */
export function parse(value: string | null | undefined, days: number, now: number): Attribution | null {
  // CODE and CLICK, joined by dots, then 13 digits of epoch ms.
  const m = /^([a-z0-9]{8})\.(ref_[0-9a-f]{16})?\.(\d{13})$/.exec(value || '');
  const t = m ? +m[3]! : 0;
  return m && t < now + DAY_MS && now - t < days * DAY_MS ? { code: m[1]!, clickId: m[2] || null, firstSeenAt: t } : null;
}

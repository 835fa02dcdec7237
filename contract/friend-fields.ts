/**
 * @module
 * The rules of the fields a referred friend fills in, as plain values without
 * zod. The server's schemas (`referrals.ts`, `public.ts`) are built from them,
 * and so are the widget's checks: zod costs the widget 3.4 KB gzipped, a
 * quarter of its budget, for four fields.
 */

/** zod's own email rule (`z.regexes.email`), the one `z.email()` applies by default. */
export const EMAIL = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

/** Longest email address, after trimming (RFC 5321's path limit). */
export const EMAIL_MAX = 254;

/** Longest friend name, after trimming. */
export const NAME_MAX = 200;

/** A referrer's share code: 8 lower-case letters and digits. */
export const SHARE_CODE = /^[a-z0-9]{8}$/;

/** A click ID (`ot_click`): the clicked referral's ID. */
export const CLICK_ID = /^ref_[0-9a-f]{16}$/;

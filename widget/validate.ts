/**
 * @module
 * The friend's fields checked by the server's own rules
 * (`contract/friend-fields.ts`), without shipping zod.
 */
import { EMAIL, EMAIL_MAX, NAME_MAX, SHARE_CODE } from '../contract/friend-fields.ts';

/** Passes when the server's `friendName` accepts it. */
export const isName = (value: string): boolean => {
  const length = value.trim().length;
  return length > 0 && length <= NAME_MAX;
};

/** Passes when the server's `friendEmail` accepts it (the server trims too). */
export const isEmail = (value: string): boolean => {
  const email = value.trim();
  return email.length <= EMAIL_MAX && EMAIL.test(email);
};

/**
 * What the friend typed in "who referred you?", as the submission's field:
 * an email address or a share code (any case), or null when it is neither.
 * @example typedReferrer(' A1B2C3D4 ') // { code: 'a1b2c3d4' }
 */
export function typedReferrer(value: string): { code: string } | { referrerEmail: string } | null {
  const typed = value.trim();
  if (typed.includes('@')) return isEmail(typed) ? { referrerEmail: typed } : null;
  const code = typed.toLowerCase();
  return SHARE_CODE.test(code) ? { code } : null;
}

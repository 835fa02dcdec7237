import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { friendSubmission } from '../contract/public.ts';
import { friendEmail, friendName, referralCode } from '../contract/referrals.ts';
import { isEmail, isName, typedReferrer } from './validate.ts';

// The widget checks without zod; these prove it agrees with the server's schemas.
const emails = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((e) => ` ${e.toUpperCase()} `),
  fc.emailAddress().map((e) => e.replace('@', '@@')),
  fc.emailAddress().map((e) => `${e}.`),
  fc.string(),
  fc.stringMatching(/^[a-z.+_'-]{0,6}@[a-z-]{0,5}(\.[a-z]{0,3}){0,2}$/),
);

describe('the widget\'s checks agree with the server\'s schemas', () => {
  it('on names', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ minLength: 195, maxLength: 210 }), fc.constantFrom('', ' ', '\t\n')), (name) => {
      expect(isName(name)).toBe(friendName.safeParse(name).success);
    }), { numRuns: 500 });
  });

  it('on emails', () => {
    fc.assert(fc.property(emails, (email) => {
      expect(isEmail(email)).toBe(friendEmail.safeParse(email).success);
    }), { numRuns: 2000 });
  });

  it('on typed referrers: what the widget sends, the server accepts', () => {
    const typed = fc.oneof(emails, fc.stringMatching(/^ ?[a-zA-Z0-9]{7,9} ?$/), fc.string({ maxLength: 12 }));
    fc.assert(fc.property(typed, (value) => {
      const field = typedReferrer(value);
      if (field) expect(friendSubmission.safeParse({ friendEmail: 'f@example.com', friendName: 'F', ...field }).success).toBe(true);
    }), { numRuns: 2000 });
  });
});

describe('typedReferrer', () => {
  it('takes a share code in any case, or an email', () => {
    expect(typedReferrer(' A1B2C3D4 ')).toEqual({ code: 'a1b2c3d4' });
    expect(referralCode.safeParse('a1b2c3d4').success).toBe(true);
    expect(typedReferrer('bob@example.com')).toEqual({ referrerEmail: 'bob@example.com' });
  });

  it('refuses what is neither', () => {
    for (const value of ['', 'a1b2c3d', 'a1b2c3d4e', 'a1b2-3d4', 'bob@', 'bob']) expect(typedReferrer(value)).toBeNull();
  });
});

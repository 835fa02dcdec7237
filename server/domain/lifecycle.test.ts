import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFERRAL_STATUSES } from '../../contract/referrals.ts';
import { attributionCutoff, effectiveStatus, OPEN_STATUSES } from './lifecycle.ts';

const DAY_MS = 86_400_000;

describe('referral lifecycle', () => {
  it('puts the cutoff the attribution window before now', () => {
    expect(attributionCutoff(100 * DAY_MS, 90)).toBe(10 * DAY_MS);
    expect(attributionCutoff(Date.UTC(2026, 3, 1), 30)).toBe(Date.UTC(2026, 2, 2));
  });

  it('reads an open referral as expired once created before the cutoff, and not at the cutoff itself', () => {
    const cutoff = 1_000_000;
    for (const open of OPEN_STATUSES) {
      expect(effectiveStatus(open, cutoff - 1, cutoff)).toBe('expired');
      expect(effectiveStatus(open, cutoff, cutoff)).toBe(open);
      expect(effectiveStatus(open, cutoff + 1, cutoff)).toBe(open);
    }
  });

  it('never changes a converted or expired referral, whatever its age', () => {
    fc.assert(fc.property(fc.constantFrom('converted', 'expired' as const), fc.integer(), fc.integer(), (status, createdAt, cutoff) =>
      effectiveStatus(status, createdAt, cutoff) === status));
  });

  it('only ever moves a status to expired, and only an open one', () => {
    fc.assert(fc.property(fc.constantFrom(...REFERRAL_STATUSES), fc.integer(), fc.integer(), (status, createdAt, cutoff) => {
      const seen = effectiveStatus(status, createdAt, cutoff);
      return seen === status || (seen === 'expired' && (OPEN_STATUSES as readonly string[]).includes(status) && createdAt < cutoff);
    }));
  });
});

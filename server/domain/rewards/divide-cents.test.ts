import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideCents } from './divide-cents.ts';

describe('divideCents: nearest cent, halves up', () => {
  it.each([
    [12999, 1000, 10_000, 1300], // 1299.9 → 1300
    [12994, 1000, 10_000, 1299], // 1299.4 → 1299
    [12995, 1000, 10_000, 1300], // 1299.5 → 1300: the half goes up
    [5, 1, 2, 3],
    [3, 1, 2, 2],
    [1, 1, 3, 0],
    [2, 1, 3, 1],
    [0, 1234, 10_000, 0],
    [1000, 4333, 12999, 333],
    [1000, 12999, 12999, 1000],
  ])('%i × %i ÷ %i = %i', (amount, numerator, denominator, expected) => {
    expect(divideCents(amount, numerator, denominator)).toBe(expected);
  });

  it('is exact for amounts whose product passes 2^53', () => {
    expect(divideCents(Number.MAX_SAFE_INTEGER, 5000, 10_000)).toBe(4503599627370496); // 4503599627370495.5 → up
    expect(divideCents(Number.MAX_SAFE_INTEGER, 10_000, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses fractions and negative amounts rather than guessing', () => {
    expect(() => divideCents(1.5, 1, 2)).toThrow(RangeError);
    expect(() => divideCents(-1, 1, 2)).toThrow(RangeError);
    expect(() => divideCents(1, 1, 0)).toThrow(RangeError);
  });

  it('is within half a cent of the exact share, and never above it by more', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e6), fc.integer({ min: 1, max: 1e6 }), (a, n, d) => {
      const exact = (a * n) / d; // < 2^53 here, exact enough to compare
      const rounded = divideCents(a, n, d);
      expect(Math.abs(rounded - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(rounded === Math.floor(exact) || rounded === Math.ceil(exact)).toBe(true);
    }));
  });

  it('never decreases when the numerator grows', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e6), fc.nat(1e6), fc.integer({ min: 1, max: 1e6 }), (a, n1, n2, d) => {
      const [lo, hi] = n1 <= n2 ? [n1, n2] : [n2, n1];
      expect(divideCents(a, lo, d)).toBeLessThanOrEqual(divideCents(a, hi, d));
    }));
  });
});

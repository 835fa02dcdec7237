import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateCommission } from './calculate-commission.ts';

describe('calculateCommission', () => {
  it('adds the percentage, rounded by the one rule, and the fixed part', () => {
    expect(calculateCommission(1000, { basisPoints: 1500, fixed: 30 })).toBe(180);
    expect(calculateCommission(1299, { basisPoints: 1000, fixed: 0 })).toBe(130); // 129.9
    expect(calculateCommission(1295, { basisPoints: 1000, fixed: 0 })).toBe(130); // 129.5: half up
    expect(calculateCommission(1294, { basisPoints: 1000, fixed: 0 })).toBe(129);
    expect(calculateCommission(1000, { basisPoints: 0, fixed: 25 })).toBe(25);
    expect(calculateCommission(1000, { basisPoints: 0, fixed: 0 })).toBe(0);
  });

  it('is nothing on a reward of nothing, the fixed part included', () => {
    expect(calculateCommission(0, { basisPoints: 1500, fixed: 30 })).toBe(0);
  });

  it('never decreases when the reward grows, so reducing a reward never raises its commission', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e9), fc.nat(10_000), fc.nat(10_000), (a, b, basisPoints, fixed) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(calculateCommission(lo, { basisPoints, fixed })).toBeLessThanOrEqual(calculateCommission(hi, { basisPoints, fixed }));
    }));
  });
});

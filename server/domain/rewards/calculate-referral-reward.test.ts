import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateReferralReward } from './calculate-referral-reward.ts';

describe('calculateReferralReward', () => {
  it('pays a fixed reward whatever the order was worth, also when no value was reported', () => {
    expect(calculateReferralReward({ type: 'fixed', amount: 1000 }, 12999)).toBe(1000);
    expect(calculateReferralReward({ type: 'fixed', amount: 1000 }, 1)).toBe(1000);
    expect(calculateReferralReward({ type: 'fixed', amount: 1000 }, null)).toBe(1000);
  });

  it('pays a percentage of the value, rounded to the nearest cent with halves up', () => {
    const tenPercent = { type: 'percentage', basisPoints: 1000 } as const;
    expect(calculateReferralReward(tenPercent, 12999)).toBe(1300);
    expect(calculateReferralReward(tenPercent, 12994)).toBe(1299);
    expect(calculateReferralReward(tenPercent, 12995)).toBe(1300);
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1250 }, 999)).toBe(125); // 124.875
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1 }, 4999)).toBe(0); // 0.4999
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 10_000 }, 4999)).toBe(4999);
  });

  it('caps a percentage at maxAmount', () => {
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1000, maxAmount: 1000 }, 12999)).toBe(1000);
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1000, maxAmount: 1000 }, 9999)).toBe(1000);
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1000, maxAmount: 1000 }, 9994)).toBe(999);
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1000, maxAmount: null }, 1_000_000)).toBe(100_000);
  });

  it('pays nothing without a rule, or for a percentage of an unknown value', () => {
    expect(calculateReferralReward(null, 12999)).toBe(0);
    expect(calculateReferralReward({ type: 'percentage', basisPoints: 1000 }, null)).toBe(0);
  });

  it('never pays a percentage above the value or the cap', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.option(fc.integer({ min: 1, max: 1e8 })), fc.nat(1e12),
      (basisPoints, maxAmount, value) => {
        const reward = calculateReferralReward({ type: 'percentage', basisPoints, maxAmount }, value);
        expect(Number.isInteger(reward)).toBe(true);
        expect(reward).toBeGreaterThanOrEqual(0);
        expect(reward).toBeLessThanOrEqual(value);
        if (maxAmount !== null) expect(reward).toBeLessThanOrEqual(maxAmount);
      }));
  });
});

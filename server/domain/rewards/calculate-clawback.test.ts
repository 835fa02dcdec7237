import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateClawback } from './calculate-clawback.ts';

describe('calculateClawback', () => {
  it('takes back the refunded share of the reward, rounded halves up', () => {
    expect(calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 4333 })).toBe(333); // 333.33
    expect(calculateClawback({ reward: 1000, conversionValue: 10000, refundedTotal: 2500 })).toBe(250);
    expect(calculateClawback({ reward: 999, conversionValue: 2, refundedTotal: 1 })).toBe(500); // 499.5 → 500
    expect(calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 0 })).toBe(0);
  });

  it('takes back everything on a full refund, a refund of a conversion without value, or a dispute', () => {
    expect(calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 12999 })).toBe(1000);
    expect(calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 20000 })).toBe(1000);
    expect(calculateClawback({ reward: 1000, conversionValue: null, refundedTotal: 0 })).toBe(1000);
    expect(calculateClawback({ reward: 1000, conversionValue: 0, refundedTotal: 0 })).toBe(1000);
    expect(calculateClawback({ reward: 1000, conversionValue: 12999, refundedTotal: 10, voided: true })).toBe(1000);
  });

  it('adds partial refunds up to exactly the whole reward, never more', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e7 }), fc.integer({ min: 1, max: 1e9 }), fc.array(fc.nat(1e9), { maxLength: 8 }),
      (reward, conversionValue, parts) => {
        let refunded = 0;
        let previous = 0;
        for (const part of parts) {
          refunded = Math.min(conversionValue, refunded + part);
          const clawedBack = calculateClawback({ reward, conversionValue, refundedTotal: refunded });
          expect(clawedBack).toBeGreaterThanOrEqual(previous);
          expect(clawedBack).toBeLessThanOrEqual(reward);
          previous = clawedBack;
        }
        expect(calculateClawback({ reward, conversionValue, refundedTotal: conversionValue })).toBe(reward);
      }));
  });
});

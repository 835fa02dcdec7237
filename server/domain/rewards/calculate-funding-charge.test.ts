import { describe, expect, it } from 'vitest';
import { calculateFundingCharge } from './calculate-funding-charge.ts';

describe('calculateFundingCharge', () => {
  it('uses the partner\'s credit first', () => {
    expect(calculateFundingCharge(1150, 300)).toBe(850);
    expect(calculateFundingCharge(1150, 5000)).toBe(0);
    expect(calculateFundingCharge(1150, 1150)).toBe(0);
  });
  it('charges the whole amount when there is no credit, or a debt', () => {
    expect(calculateFundingCharge(1150, 0)).toBe(1150);
    expect(calculateFundingCharge(1150, -500)).toBe(1150);
  });
});

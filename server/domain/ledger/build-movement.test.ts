import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMISSION_ACCOUNT } from './accounts.ts';
import { buildMovement, UnbalancedMovementError } from './build-movement.ts';
import { planClawback } from './plan-clawback.ts';
import { planFunding, planPaymentFailure } from './plan-funding.ts';

const sum = (lines: Array<{ amount: number }>) => lines.reduce((total, line) => total + line.amount, 0);

describe('ledger movements', () => {
  it('refuses a movement that creates or loses a cent, or moves a fraction of one', () => {
    expect(() => buildMovement([{ account: 'a', amount: 100 }, { account: 'b', amount: -99 }])).toThrow(UnbalancedMovementError);
    expect(() => buildMovement([{ account: 'a', amount: 0.5 }, { account: 'b', amount: -0.5 }])).toThrow(UnbalancedMovementError);
  });

  it('drops lines of zero cents', () => {
    expect(buildMovement([{ account: 'a', amount: 0 }, { account: 'b', amount: 5 }, { account: 'c', amount: -5 }]))
      .toEqual([{ account: 'b', amount: 5 }, { account: 'c', amount: -5 }]);
  });

  it('funds a reward: partner charged reward plus commission, wallet and operator credited, payment back to the partner', () => {
    const { funding, payment } = planFunding({ wallet: 'wallet:rfr_1', partnerId: 'prt_1', reward: 1000, commission: 150, charged: 1150, provider: 'stripe' });
    expect(funding).toEqual([
      { account: 'partner:prt_1', amount: -1150 },
      { account: 'wallet:rfr_1', amount: 1000 },
      { account: COMMISSION_ACCOUNT, amount: 150 },
    ]);
    expect(payment).toEqual([{ account: 'partner:prt_1', amount: 1150 }, { account: 'cash:stripe', amount: -1150 }]);
  });

  it('undoes a payment that failed after funding: the partner owes the charge again', () => {
    const { payment } = planFunding({ wallet: 'wallet:rfr_1', partnerId: 'prt_1', reward: 1000, commission: 150, charged: 1150, provider: 'stripe' });
    const failure = planPaymentFailure({ partnerId: 'prt_1', charged: 1150, provider: 'stripe' });
    expect(failure).toEqual([{ account: 'partner:prt_1', amount: -1150 }, { account: 'cash:stripe', amount: 1150 }]);
    expect(failure.map((line) => line.amount)).toEqual(payment.map((line) => -line.amount));
  });

  it('leaves the charge open with the manual provider', () => {
    expect(planFunding({ wallet: 'w', partnerId: 'p', reward: 1000, commission: 0, charged: 0, provider: 'manual' }).payment).toEqual([]);
  });

  it('claws back: wallet and commission debited, partner credited', () => {
    expect(planClawback({ wallet: 'wallet:rfr_1', partnerId: 'prt_1', reward: 333, commission: 50 })).toEqual([
      { account: 'wallet:rfr_1', amount: -333 },
      { account: COMMISSION_ACCOUNT, amount: -50 },
      { account: 'partner:prt_1', amount: 383 },
    ]);
  });

  it('always balances', () => {
    fc.assert(fc.property(fc.nat(1e9), fc.nat(1e7), fc.nat(1e9), (reward, commission, charged) => {
      const { funding, payment } = planFunding({ wallet: 'w', partnerId: 'p', reward, commission, charged, provider: 'x' });
      expect(sum(funding)).toBe(0);
      expect(sum(payment)).toBe(0);
      expect(sum(planClawback({ wallet: 'w', partnerId: 'p', reward, commission }))).toBe(0);
    }));
  });
});

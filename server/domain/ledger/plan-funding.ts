/**
 * @module
 * The movements that fund a reward.
 */
import { cashAccount, COMMISSION_ACCOUNT, partnerAccount } from './accounts.ts';
import { buildMovement, type LedgerLine } from './build-movement.ts';

export interface FundingInput {
  /** The wallet the reward goes to. */
  wallet: string;
  partnerId: string;
  reward: number;
  commission: number;
  /** What the payment provider collected for it (0 when the manual provider accrues it, or credit covered it). */
  charged: number;
  provider: string;
}

/**
 * Funding charges the partner reward plus commission and credits the wallet and
 * the operator; a payment, when one was collected, then credits the partner.
 * @example planFunding({ wallet: 'wallet:rfr_1', partnerId: 'prt_1', reward: 1000, commission: 150, charged: 1150, provider: 'stripe' })
 */
export function planFunding(input: FundingInput): { funding: LedgerLine[]; payment: LedgerLine[] } {
  const partner = partnerAccount(input.partnerId);
  const funding = buildMovement([
    { account: partner, amount: -(input.reward + input.commission) },
    { account: input.wallet, amount: input.reward },
    { account: COMMISSION_ACCOUNT, amount: input.commission },
  ]);
  const payment = buildMovement([
    { account: partner, amount: input.charged },
    { account: cashAccount(input.provider), amount: -input.charged },
  ]);
  return { funding, payment };
}

/**
 * A payment that failed after funding (a bank debit): the payment movement
 * undone, so the partner owes what it had paid.
 * @example planPaymentFailure({ partnerId: 'prt_1', charged: 1150, provider: 'stripe' }) // partner −1150, cash:stripe +1150
 */
export function planPaymentFailure(input: Pick<FundingInput, 'partnerId' | 'charged' | 'provider'>): LedgerLine[] {
  return buildMovement([
    { account: partnerAccount(input.partnerId), amount: -input.charged },
    { account: cashAccount(input.provider), amount: input.charged },
  ]);
}

/**
 * @module
 * The movement that claws back part of a funded reward.
 */
import { COMMISSION_ACCOUNT, partnerAccount } from './accounts.ts';
import { buildMovement, type LedgerLine } from './build-movement.ts';

export interface ClawbackMovementInput {
  wallet: string;
  partnerId: string;
  /** Reward cents taken back from the wallet. */
  reward: number;
  /** Commission cents the operator gives back. */
  commission: number;
}

/**
 * A clawback debits the wallet (which may go negative, and is then offset by
 * later rewards) and the operator's commission, and credits the partner.
 * @example planClawback({ wallet: 'wallet:rfr_1', partnerId: 'prt_1', reward: 333, commission: 50 })
 */
export function planClawback(input: ClawbackMovementInput): LedgerLine[] {
  return buildMovement([
    { account: input.wallet, amount: -input.reward },
    { account: COMMISSION_ACCOUNT, amount: -input.commission },
    { account: partnerAccount(input.partnerId), amount: input.reward + input.commission },
  ]);
}

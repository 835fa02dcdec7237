/**
 * @module
 * A movement of money: ledger lines that sum to zero, so no cent is created
 * or lost. Entries are written once and never changed; a correction is a new
 * movement.
 */

export interface LedgerLine {
  account: string;
  /** Signed integer cents: positive credits the account, negative debits it. */
  amount: number;
}

export class UnbalancedMovementError extends Error {}

/**
 * The lines of one balanced movement, without zero lines.
 * @example buildMovement([{ account: 'wallet:rfr_1', amount: 1000 }, { account: 'partner:prt_1', amount: -1000 }])
 * @throws UnbalancedMovementError when the lines do not sum to zero or are not whole cents
 */
export function buildMovement(lines: LedgerLine[]): LedgerLine[] {
  let sum = 0;
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amount)) throw new UnbalancedMovementError(`${line.account}: ${line.amount} is not a whole number of cents`);
    sum += line.amount;
  }
  if (sum !== 0) throw new UnbalancedMovementError(`Movement does not balance: off by ${sum} cents`);
  return lines.filter((line) => line.amount !== 0);
}

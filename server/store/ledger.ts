/**
 * @module
 * The double-entry ledger: movements are written as balanced sets of entries
 * and never changed (the database refuses updates and deletes); every balance
 * is a sum of entries.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { buildMovement, type LedgerLine } from '../domain/ledger/build-movement.ts';
import { newRecordId } from '../domain/new-record-id.ts';
import type { Database, LedgerEntriesTable } from './schema.ts';

export interface Movement {
  kind: LedgerEntriesTable['kind'];
  lines: LedgerLine[];
  partnerId: string;
  rewardId?: string | null;
  now: number;
}

/**
 * Writes one balanced movement inside the caller's transaction; returns its
 * ID, or null when every line was zero.
 * @example await postMovement(trx, { kind: 'funding', lines, partnerId, rewardId, now })
 */
export async function postMovement(trx: Transaction<Database>, movement: Movement): Promise<string | null> {
  const lines = buildMovement(movement.lines);
  if (!lines.length) return null;
  const movementId = newRecordId('mov');
  await trx
    .insertInto('ledger_entries')
    .values(lines.map((line) => ({
      id: newRecordId('led'),
      movement_id: movementId,
      kind: movement.kind,
      account: line.account,
      amount: line.amount,
      partner_id: movement.partnerId,
      reward_id: movement.rewardId ?? null,
      created_at: movement.now,
    })))
    .execute();
  return movementId;
}

/** The balance of each account (0 for an account without entries). */
export async function accountBalances(db: Kysely<Database>, accounts: string[]): Promise<Map<string, number>> {
  const balances = new Map(accounts.map((account) => [account, 0]));
  if (!accounts.length) return balances;
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['account', sql<string | number>`sum(amount)`.as('balance')])
    .where('account', 'in', accounts)
    .groupBy('account')
    .execute();
  // PostgreSQL sums bigints as numeric, which arrives as a string.
  for (const row of rows) balances.set(row.account, Number(row.balance));
  return balances;
}

/** The balance of one account. */
export async function accountBalance(db: Kysely<Database>, account: string): Promise<number> {
  return (await accountBalances(db, [account])).get(account) ?? 0;
}

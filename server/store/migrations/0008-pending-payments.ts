/**
 * @module
 * A charge can be accepted before it settles (Stripe's `processing`, as bank
 * debits are): the reward is funded at once and the payment checked until it
 * settles or fails.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rewards').addColumn('payment_pending_since', 'bigint').execute();
  await db.schema.alterTable('rewards').addColumn('payment_check_at', 'bigint').execute();
  await db.schema.createIndex('rewards_payment_check_at').on('rewards').column('payment_check_at').execute();
}

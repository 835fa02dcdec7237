/**
 * @module
 * The money flow: each program's reward settings, partners' payment details,
 * rewards, refunds and the double-entry ledger. Ledger entries are
 * insert-only: a trigger refuses any update or delete, in both databases.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** What a program starts with: no rewards until the partner sets them, 30 days to confirm, approval by hand. */
const DEFAULT_REWARDS = JSON.stringify({ referrerReward: null, friendReward: null, confirmationPeriodDays: 30, autoApprove: false });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable('programs').addColumn('rewards', 'text', (c) => c.notNull().defaultTo(DEFAULT_REWARDS)).execute();
  await db.schema.alterTable('partners').addColumn('stripe_customer_id', 'varchar(255)').execute();
  await db.schema.alterTable('partners').addColumn('stripe_payment_method_id', 'varchar(255)').execute();

  await db.schema
    .createTable('rewards')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull().references('programs.id'))
    .addColumn('partner_id', 'varchar(40)', (c) => c.notNull().references('partners.id'))
    .addColumn('referral_id', 'varchar(40)', (c) => c.notNull().references('referrals.id'))
    .addColumn('referrer_id', 'varchar(40)', (c) => c.notNull().references('referrers.id'))
    .addColumn('beneficiary', 'varchar(16)', (c) => c.notNull())
    .addColumn('wallet', 'varchar(120)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('original_amount', 'bigint', (c) => c.notNull())
    .addColumn('clawed_back', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_at', 'bigint')
    .addColumn('matures_at', 'bigint', (c) => c.notNull())
    .addColumn('rejected_at', 'bigint')
    .addColumn('rejection_reason', 'varchar(500)')
    .addColumn('voided_at', 'bigint')
    // Funding: the charge is prepared once (amounts and the provider's idempotency key fixed), then
    // recorded; a crash in between repeats the same charge, which the provider recognises.
    .addColumn('funding_reward', 'bigint')
    .addColumn('funding_commission', 'bigint')
    .addColumn('funding_charge', 'bigint')
    .addColumn('commission_bps', 'integer')
    .addColumn('commission_fixed', 'bigint')
    .addColumn('funding_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('funding_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('funding_lease_until', 'bigint')
    .addColumn('next_funding_at', 'bigint')
    .addColumn('funding_error_code', 'varchar(100)')
    .addColumn('funding_error_message', 'varchar(1000)')
    .addColumn('funded_at', 'bigint')
    .addColumn('payment_id', 'varchar(255)')
    .addUniqueConstraint('rewards_one_per_beneficiary', ['referral_id', 'beneficiary'])
    .execute();
  await db.schema.createIndex('rewards_status_matures_at').on('rewards').columns(['status', 'matures_at']).execute();
  await db.schema.createIndex('rewards_status_next_funding_at').on('rewards').columns(['status', 'next_funding_at']).execute();
  await db.schema.createIndex('rewards_program_created_at').on('rewards').columns(['program_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('rewards_referrer').on('rewards').columns(['referrer_id']).execute();

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull().references('programs.id'))
    .addColumn('referral_id', 'varchar(40)', (c) => c.notNull().references('referrals.id'))
    .addColumn('idempotency_key', 'varchar(255)', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('dispute', 'integer', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('refunds_key_once', ['referral_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('movement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('account', 'varchar(120)', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('partner_id', 'varchar(40)')
    .addColumn('reward_id', 'varchar(40)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account', 'created_at']).execute();
  await db.schema.createIndex('ledger_entries_movement').on('ledger_entries').column('movement_id').execute();
  await db.schema.createIndex('ledger_entries_reward').on('ledger_entries').column('reward_id').execute();

  if (postgres) {
    await sql`create function ledger_entries_are_final() returns trigger language plpgsql as $$
      begin raise exception 'ledger entries are never changed or deleted; record a new movement'; end $$`.execute(db);
    await sql`create trigger ledger_entries_final before update or delete on ledger_entries
      for each row execute function ledger_entries_are_final()`.execute(db);
  } else {
    for (const action of ['update', 'delete']) {
      await sql.raw(`create trigger ledger_entries_final_${action} before ${action} on ledger_entries
        begin select raise(abort, 'ledger entries are never changed or deleted; record a new movement'); end`).execute(db);
    }
  }
}

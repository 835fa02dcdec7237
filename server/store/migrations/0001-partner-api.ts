/**
 * @module
 * Partners, keys, programs, referrers and referrals. The unique indexes are
 * the idempotency guarantees of the API: they, not application code, make a
 * replayed or raced request land on the existing row.
 */
import type { Kysely } from 'kysely';

// `any`: a migration describes the schema it creates, not the current one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)')
    .addColumn('approved_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('partner_id', 'varchar(40)', (c) => c.notNull().references('partners.id'))
    .addColumn('lookup', 'varchar(16)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_lookup').on('api_keys').column('lookup').execute();
  await db.schema.createIndex('api_keys_partner').on('api_keys').column('partner_id').execute();

  await db.schema
    .createTable('programs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('partner_id', 'varchar(40)', (c) => c.notNull().unique().references('partners.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('landing_url', 'varchar(2048)')
    .addColumn('allowed_origins', 'text', (c) => c.notNull())
    .addColumn('attribution_window_days', 'integer', (c) => c.notNull())
    .addColumn('branding', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('referrers')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull().references('programs.id'))
    .addColumn('identifier', 'varchar(256)', (c) => c.notNull())
    .addColumn('email', 'varchar(254)')
    .addColumn('code', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('referrers_program_identifier', ['program_id', 'identifier'])
    .execute();
  await db.schema.createIndex('referrers_program_email').on('referrers').columns(['program_id', 'email']).execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull().references('programs.id'))
    .addColumn('referrer_id', 'varchar(40)', (c) => c.notNull().references('referrers.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('friend_email', 'varchar(254)')
    .addColumn('friend_email_normalized', 'varchar(254)')
    .addColumn('friend_name', 'varchar(200)')
    .addColumn('external_source_id', 'varchar(256)')
    .addColumn('external_transaction_id', 'varchar(256)')
    .addColumn('conversion_value', 'bigint')
    .addColumn('currency', 'varchar(3)')
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('converted_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // Idempotency of create (NULL emails, i.e. clicks, never collide) and of convert.
    .addUniqueConstraint('referrals_friend_once', ['program_id', 'referrer_id', 'friend_email_normalized'])
    .addUniqueConstraint('referrals_transaction_once', ['program_id', 'external_transaction_id'])
    .execute();

  // One index per way the list endpoint sorts, each led by the program that scopes every query.
  for (const column of ['created_at', 'converted_at', 'conversion_value']) {
    await db.schema.createIndex(`referrals_program_${column}`).on('referrals').columns(['program_id', column, 'id']).execute();
  }
  await db.schema
    .createIndex('referrals_program_status_created_at')
    .on('referrals')
    .columns(['program_id', 'status', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('referrals_referrer').on('referrals').columns(['referrer_id', 'created_at']).execute();
  await db.schema
    .createIndex('referrals_program_friend_email')
    .on('referrals')
    .columns(['program_id', 'friend_email_normalized'])
    .execute();
}

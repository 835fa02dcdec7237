/**
 * @module
 * Clicks on referral links are referrals in status `clicked`. A visitor hash
 * lets repeated clicks by one visitor within an hour count once, without
 * storing the visitor's IP address.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('referrals').addColumn('visitor_hash', 'varchar(64)').execute();
  await db.schema
    .createIndex('referrals_referrer_visitor')
    .on('referrals')
    .columns(['referrer_id', 'visitor_hash', 'created_at'])
    .execute();
}

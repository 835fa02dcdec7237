/**
 * @module
 * Brings a database to the newest schema. Safe to run from several processes at
 * once: Kysely's migrator takes a lock (an advisory lock on PostgreSQL).
 */
import { Migrator, type Kysely, type Migration } from 'kysely';
import * as partnerApi from './migrations/0001-partner-api.ts';
import * as clicks from './migrations/0002-clicks.ts';
import * as serverSecrets from './migrations/0006-server-secrets.ts';
import * as rateLimitCounters from './migrations/0007-rate-limit-counters.ts';
import * as pendingPayments from './migrations/0008-pending-payments.ts';
import * as money from './migrations/0003-money.ts';
import * as webhooks from './migrations/0004-webhooks.ts';
import * as eventOrder from './migrations/0005-event-order.ts';
import type { Database } from './schema.ts';

/** Every migration, in order. Never edit a shipped one: add the next. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-partner-api': partnerApi,
  '0002-clicks': clicks,
  '0003-money': money,
  '0004-webhooks': webhooks,
  '0005-event-order': eventOrder,
  '0006-server-secrets': serverSecrets,
  '0007-rate-limit-counters': rateLimitCounters,
  '0008-pending-payments': pendingPayments,
};

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

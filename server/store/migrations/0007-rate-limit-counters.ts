/**
 * @module
 * Rate-limit counters shared by every server process on one database, so
 * several servers behind a balancer keep the documented limits together.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  let table = db.schema.createTable('rate_limit_counters');
  // Unlogged on PostgreSQL: a count is worth no WAL flush per request, and losing it in a crash only resets a minute's limit.
  if (postgres) table = table.modifyFront(sql`unlogged`);
  await table
    .addColumn('key', 'varchar(300)', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
  // The sweep deletes by age.
  await db.schema.createIndex('rate_limit_counters_window_start').on('rate_limit_counters').column('window_start').execute();
}

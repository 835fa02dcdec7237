/**
 * @module
 * Events keep the order they happened in, also within one millisecond (a
 * conversion and its auto-approved reward): `seq` counts insertions.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    // bigserial numbers the existing rows too.
    await sql`alter table events add column seq bigserial`.execute(db);
  } else {
    await db.schema.alterTable('events').addColumn('seq', 'integer').execute();
    await sql`update events set seq = rowid`.execute(db);
    await sql`create trigger events_seq after insert on events begin update events set seq = new.rowid where rowid = new.rowid; end`.execute(db);
  }
  await db.schema.dropIndex('events_undispatched').execute();
  await db.schema.dropIndex('events_program_created_at').execute();
  await db.schema.createIndex('events_undispatched').on('events').columns(['dispatched_at', 'created_at', 'seq']).execute();
  await db.schema.createIndex('events_program_created_at').on('events').columns(['program_id', 'created_at', 'seq']).execute();
}

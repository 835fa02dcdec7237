/**
 * @module
 * Events and their webhook delivery. `events` is the outbox: every event is
 * written in the same transaction as the change it reports. Referral events
 * come from triggers on `referrals`, so every way a referral is created or
 * changes status (partner API, widget, tracker, jobs, CLI) reports it; reward
 * events are written by store/rewards.ts. Deliveries fan an event out to the
 * program's endpoints, and each attempt is logged.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('events')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('dispatched_at', 'bigint')
    .execute();
  await db.schema.createIndex('events_undispatched').on('events').columns(['dispatched_at', 'created_at']).execute();
  await db.schema.createIndex('events_program_created_at').on('events').columns(['program_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull().references('programs.id'))
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('secret', 'varchar(100)', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('description', 'varchar(500)')
    .addColumn('disabled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_program').on('webhook_endpoints').column('program_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('event_id', 'varchar(40)', (c) => c.notNull().references('events.id'))
    .addColumn('endpoint_id', 'varchar(40)', (c) => c.notNull().references('webhook_endpoints.id'))
    .addColumn('program_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'varchar(1000)')
    .addColumn('delivered_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_once', ['event_id', 'endpoint_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('delivery_id', 'varchar(40)', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'varchar(1000)')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'attempted_at']).execute();

  if (postgres) await referralEventsOnPostgres(db);
  else await referralEventsOnSqlite(db);
}

/** The referral as the partner API shows it (contract/referrals.ts `referral`), built in SQL. */
const FIELDS = (json: 'json_object' | 'json_build_object', text: (column: string) => string, metadata: string) => `${json}(
  'referralId', NEW.id, 'referralCode', r.code, 'status', NEW.status,
  'friendEmail', NEW.friend_email, 'friendName', NEW.friend_name,
  'createdAt', NEW.created_at, 'convertedAt', NEW.converted_at,
  'conversionValue', ${text('NEW.conversion_value')}, 'currency', NEW.currency,
  'referrerIdentifier', r.identifier, 'externalSourceId', NEW.external_source_id, 'metadata', ${metadata})`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function referralEventsOnSqlite(db: Kysely<any>): Promise<void> {
  const data = FIELDS('json_object', (c) => `CAST(${c} AS TEXT)`, 'json(NEW.metadata)');
  const insert = (type: string) => `INSERT INTO events (id, program_id, type, subject_id, data, created_at)
    SELECT 'evt_' || lower(hex(randomblob(8))), NEW.program_id, ${type}, NEW.id, ${data}, NEW.updated_at
    FROM referrers r WHERE r.id = NEW.referrer_id;`;
  await sql.raw(`CREATE TRIGGER referral_events_insert AFTER INSERT ON referrals
    WHEN NEW.status IN ('clicked', 'pending')
    BEGIN ${insert(`CASE NEW.status WHEN 'clicked' THEN 'referral.clicked' ELSE 'referral.created' END`)} END`).execute(db);
  await sql.raw(`CREATE TRIGGER referral_events_update AFTER UPDATE OF status ON referrals
    WHEN OLD.status <> NEW.status AND NEW.status IN ('pending', 'converted', 'expired')
    BEGIN ${insert(`CASE NEW.status WHEN 'pending' THEN 'referral.created' WHEN 'converted' THEN 'referral.converted' ELSE 'referral.expired' END`)} END`).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function referralEventsOnPostgres(db: Kysely<any>): Promise<void> {
  const data = FIELDS('json_build_object', (c) => `${c}::text`, 'NEW.metadata::json');
  await sql.raw(`CREATE FUNCTION referral_events() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE kind text;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        kind := CASE NEW.status WHEN 'clicked' THEN 'referral.clicked' WHEN 'pending' THEN 'referral.created' END;
      ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
        kind := CASE NEW.status WHEN 'pending' THEN 'referral.created' WHEN 'converted' THEN 'referral.converted' WHEN 'expired' THEN 'referral.expired' END;
      END IF;
      IF kind IS NOT NULL THEN
        INSERT INTO events (id, program_id, type, subject_id, data, created_at)
        SELECT 'evt_' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 16), NEW.program_id, kind, NEW.id, (${data})::text, NEW.updated_at
        FROM referrers r WHERE r.id = NEW.referrer_id;
      END IF;
      RETURN NULL;
    END $$`).execute(db);
  await sql.raw(`CREATE TRIGGER referral_events AFTER INSERT OR UPDATE OF status ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_events()`).execute(db);
}

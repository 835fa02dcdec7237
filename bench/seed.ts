/**
 * @module
 * Fills a fresh database for the benchmark: approved partners, a few hundred
 * referrers each, and their referrals. The API's write path is what the
 * benchmark measures, so the seed does not go through it: the rows are
 * generated inside SQLite, one `INSERT … SELECT` over a counter per batch,
 * each batch its own transaction, all through Kysely. Building a million row
 * objects in JavaScript and binding 16 million parameters took twice as long.
 * The spread of statuses, dates and values is a fixed function of the row
 * number, so every run seeds the same data.
 */
import { sql, type Kysely } from 'kysely';
import { newId, newShareCode } from '../server/domain/ids.ts';
import { createPartner } from '../server/store/partners.ts';
import type { Database, ReferrerRow } from '../server/store/schema.ts';

const DAY_MS = 86_400_000;

/** Rows per INSERT and per transaction. */
const BATCH_ROWS = 50_000;

/** What the partner API needs to act for a seeded partner. */
export interface SeededPartner {
  partnerId: string;
  programId: string;
  apiKey: string;
  referrers: ReferrerRow[];
}

/** How a partner's referrals are spread. */
export interface ReferralMix {
  count: number;
  /** Share of referrals converted with a value and a transaction ID, 0..1. */
  converted: number;
  /** Share of link clicks without a friend yet, 0..1; the rest are pending. */
  clicked: number;
  /** created_at is spread uniformly over this many days before `now`. */
  spreadDays: number;
  /** Prefix of friend emails and transaction IDs, unique per partner. */
  tag: string;
}

/** An approved partner with `referrerCount` referrers, as a partner's customers would be. */
export async function seedPartner(db: Kysely<Database>, name: string, referrerCount: number, now: number): Promise<SeededPartner> {
  const { partnerId, programId, apiKey } = await createPartner(db, { name, approve: true }, now);
  const codes = new Set<string>();
  const referrers: ReferrerRow[] = [];
  for (let i = 0; i < referrerCount; i++) {
    let code = newShareCode();
    while (codes.has(code)) code = newShareCode();
    codes.add(code);
    const identifier = `customer-${String(i).padStart(4, '0')}`;
    referrers.push({ id: newId('rfr'), program_id: programId, identifier, email: `${identifier}@shop.example`, code, created_at: now - 90 * DAY_MS });
  }
  await db.insertInto('referrers').values(referrers).execute();
  return { partnerId, programId, apiKey, referrers };
}

/** FNV-1a of a string, 32 bits: tells one seed's IDs from another's. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * A number in [0, 1) for row `i`: multiplicative (Fibonacci) hashing, one
 * odd multiplier per attribute, so statuses, dates and referrers are spread
 * evenly and independently enough for a benchmark, and the same on every run.
 */
const uniform = (multiplier: number) => sql<number>`((i * ${sql.lit(multiplier)}) % 4294967296) / 4294967296.0`;

/**
 * Inserts `mix.count` referrals for the partner, created over the last
 * `mix.spreadDays` days. Referrers get a skewed share, as in life: a few
 * customers refer many friends. IDs have the server's shape (`ref_` and 16
 * hex) in a scattered order, as random IDs would be: multiplying by an odd
 * constant permutes 32-bit integers, so no two rows share one.
 */
export async function seedReferrals(db: Kysely<Database>, partner: SeededPartner, mix: ReferralMix, now: number): Promise<void> {
  await sql`create temp table if not exists bench_referrers (n integer primary key, id text not null)`.execute(db);
  await sql`delete from temp.bench_referrers`.execute(db);
  await sql`insert into temp.bench_referrers (n, id)
    select row_number() over (order by identifier) - 1, id from referrers where program_id = ${partner.programId}`.execute(db);

  const roll = uniform(2_654_435_761);
  const age = uniform(2_246_822_519);
  const who = uniform(3_266_489_917);
  const value = uniform(668_265_263);
  const created = sql<number>`(${now} - 60000 - cast(${age} * ${mix.spreadDays * DAY_MS} as integer))`;
  const clicked = sql<boolean>`(${roll} < ${mix.clicked})`;
  const converted = sql<boolean>`(${roll} >= ${mix.clicked} and ${roll} < ${mix.clicked + mix.converted})`;
  const convertedAt = sql<number>`(${created} + cast(${value} * min(${now} - ${created}, ${14 * DAY_MS}) as integer))`;
  const idSuffix = hashString(mix.tag).toString(16).padStart(8, '0');

  for (let start = 0; start < mix.count; start += BATCH_ROWS) {
    const last = Math.min(start + BATCH_ROWS, mix.count) - 1;
    await db.transaction().execute((trx) => sql`
      with recursive seq(i) as (select cast(${start} as integer) union all select i + 1 from seq where i < ${last})
      insert into referrals (
        id, program_id, referrer_id, status, friend_email, friend_email_normalized, friend_name,
        external_source_id, external_transaction_id, conversion_value, currency, metadata,
        created_at, converted_at, updated_at, visitor_hash)
      select
        printf('ref_%08x%s', (i * 2654435761) % 4294967296, ${idSuffix}),
        ${partner.programId},
        r.id,
        case when ${clicked} then 'clicked' when ${converted} then 'converted' else 'pending' end,
        case when ${clicked} then null else printf('%s-friend-%07d@mail.example', ${mix.tag}, i) end,
        case when ${clicked} then null else printf('%s-friend-%07d@mail.example', ${mix.tag}, i) end,
        case when ${clicked} then null else 'Friend ' || i end,
        null,
        case when ${converted} then printf('%s-order-%07d', ${mix.tag}, i) end,
        case when ${converted} then 500 + cast(${value} * 49500 as integer) end,
        case when ${converted} then 'EUR' end,
        case when i % 4 = 0 then json_object('campaign', 'spring', 'landing', '/p/' || (i % 97)) else '{}' end,
        ${created},
        case when ${converted} then ${convertedAt} end,
        case when ${converted} then ${convertedAt} else ${created} end,
        case when ${clicked} then 'v' || i end
      from seq
      join temp.bench_referrers r on r.n = cast(${who} * ${who} * ${partner.referrers.length} as integer)`.execute(trx));
  }
}

/**
 * Runs `fill` with the table's secondary indexes dropped, then builds them
 * again from the very SQL the migrations created them with: sorting once is
 * several times faster than inserting into ten B-trees at random places, which
 * is what keeps a million-row seed within a minute. SQLite only.
 */
export async function withIndexesDeferred<T>(db: Kysely<Database>, table: keyof Database, fill: () => Promise<T>): Promise<T> {
  const indexes = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const result = await fill();
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
  return result;
}

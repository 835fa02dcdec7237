/**
 * @module
 * The database the benchmark runs on, built in a fresh SQLite file: one
 * approved partner whose program holds the measured referrals, and a second
 * one holding the pending referrals the convert scenario uses up, so that the
 * first partner's list counts exactly what it says.
 */
import { sql } from 'kysely';
import { openStore } from '../server/store/open.ts';
import { seedPartner, seedReferrals, withIndexesDeferred, type SeededPartner } from './seed.ts';

export interface FixtureOptions {
  sqliteFile: string;
  /** Referrals of the measured partner. */
  referrals: number;
  /** Referrers they are spread over. */
  referrers: number;
  /** Pending referrals, of the second partner, for the convert scenario; 0 for none. */
  conversionPool: number;
  /** Drop and rebuild secondary indexes around the inserts (fast, for big seeds). */
  deferIndexes: boolean;
}

export interface Fixture {
  /** The partner whose program holds `options.referrals` referrals. */
  main: SeededPartner;
  /** IDs of the main partner's referrals to GET, a random sample. */
  sampleIds: string[];
  /** The partner of the conversion pool. */
  pool: SeededPartner;
  /** Pending referrals of `pool`, each to be converted once. */
  poolIds: string[];
  seconds: number;
}

const SAMPLE_SIZE = 1_000;

export async function buildFixture(options: FixtureOptions): Promise<Fixture> {
  const started = performance.now();
  const store = await openStore({ sqliteFile: options.sqliteFile });
  const { db } = store;
  try {
    // This connection only seeds: a large page cache spares it re-reading index pages.
    await sql`pragma cache_size = -262144`.execute(db);
    const now = Date.now();
    const main = await seedPartner(db, 'Bench Shop', options.referrers, now);
    const pool = await seedPartner(db, 'Bench Conversions', 50, now);

    const fill = async () => {
      await seedReferrals(db, main, { count: options.referrals, converted: 0.25, clicked: 0.05, spreadDays: 60, tag: 'main' }, now);
      await seedReferrals(db, pool, { count: options.conversionPool, converted: 0, clicked: 0, spreadDays: 30, tag: 'pool' }, now);
    };
    if (options.deferIndexes) await withIndexesDeferred(db, 'referrals', fill);
    else await fill();

    const poolRows = await db.selectFrom('referrals').select('id').where('program_id', '=', pool.programId).execute();
    const sample = await db
      .selectFrom('referrals')
      .select('id')
      .where('program_id', '=', main.programId)
      .orderBy(sql`random()`)
      .limit(SAMPLE_SIZE)
      .execute();
    // Hand the server a file without a pending write-ahead log.
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    return { main, pool, poolIds: poolRows.map((row) => row.id), sampleIds: sample.map((row) => row.id), seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.destroy();
  }
}

/** Counts what the write scenarios left behind, to check it against the responses. */
export async function countRows(sqliteFile: string, fixture: Fixture): Promise<{ mainReferrals: number; poolConverted: number }> {
  const { db } = await openStore({ sqliteFile });
  try {
    const count = (programId: string, status?: 'converted') =>
      db
        .selectFrom('referrals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('program_id', '=', programId)
        .$if(status !== undefined, (q) => q.where('status', '=', status!))
        .executeTakeFirstOrThrow()
        .then((row) => Number(row.n));
    return { mainReferrals: await count(fixture.main.programId), poolConverted: await count(fixture.pool.programId, 'converted') };
  } finally {
    await db.destroy();
  }
}

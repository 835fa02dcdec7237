/**
 * @module
 * Fixed-window hit counters in the database. One statement counts a hit and
 * starts a new window when the last one is over, atomically on both SQLite and
 * PostgreSQL, so any number of processes count together.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface WindowCount {
  /** Hits in the current window, this one included. */
  hits: number;
  /** When the current window started (epoch ms). */
  windowStart: number;
}

/** @example await countHit(db, 'write:203.0.113.7', 60_000, Date.now()) // { hits: 1, windowStart: … } */
export async function countHit(db: Kysely<Database>, key: string, windowMs: number, now: number): Promise<WindowCount> {
  // In ON CONFLICT … SET, column references are the stored row's values, so both CASEs see the old window.
  const over = sql<boolean>`rate_limit_counters.window_start + ${windowMs} <= ${now}`;
  const row = await db
    .insertInto('rate_limit_counters')
    .values({ key, window_start: now, hits: 1 })
    .onConflict((c) => c.column('key').doUpdateSet({
      hits: sql`case when ${over} then 1 else rate_limit_counters.hits + 1 end`,
      window_start: sql`case when ${over} then ${now} else rate_limit_counters.window_start end`,
    }))
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowStart: Number(row.window_start) };
}

/** Deletes counters whose window ended before `before`; returns how many. */
export async function sweepRateLimitCounters(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counters').where('window_start', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

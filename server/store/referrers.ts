/**
 * @module
 * Referrers: the partner's own customers who share links. Created on first
 * use, with a share code that is unique across the server.
 */
import type { Kysely } from 'kysely';
import { normalizeEmail } from '../domain/email.ts';
import { newId, newShareCode } from '../domain/ids.ts';
import { isUniqueViolation } from './connect.ts';
import type { Database, ReferrerRow } from './schema.ts';

/** Share-code collisions are ~1 in 10^11 per insert; a few retries make them invisible. */
const SHARE_CODE_ATTEMPTS = 5;

/**
 * The program's referrer with this identifier, created if it is new. Safe
 * under races: the unique (program, identifier) key picks one winner and
 * everybody reads that row.
 */
export async function ensureReferrer(
  db: Kysely<Database>,
  programId: string,
  identifier: string,
  now: number,
  email: string | null = null,
): Promise<ReferrerRow> {
  const find = () =>
    db.selectFrom('referrers').selectAll().where('program_id', '=', programId).where('identifier', '=', identifier).executeTakeFirst();

  const existing = await find();
  if (existing) return existing;

  for (let attempt = 1; ; attempt++) {
    try {
      const inserted = await db
        .insertInto('referrers')
        .values({ id: newId('rfr'), program_id: programId, identifier, email: email && normalizeEmail(email), code: newShareCode(), created_at: now })
        .onConflict((oc) => oc.columns(['program_id', 'identifier']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return inserted;
      const winner = await find();
      if (winner) return winner;
    } catch (error) {
      // Only a share-code collision lands here; the identifier conflict is absorbed above.
      if (!isUniqueViolation(error) || attempt >= SHARE_CODE_ATTEMPTS) throw error;
    }
  }
}

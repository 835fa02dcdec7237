/**
 * @module
 * Server secrets: random on first use, then the same for every process on
 * the database. The first process to write one wins; the others read it.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The secret with this name, made now if there is none yet. */
export async function serverSecret(db: Kysely<Database>, name: string, now: number): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(32).toString('hex'), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

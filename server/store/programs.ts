/**
 * @module
 * Programs: the settings the CLI and `GET/PATCH /api/v1/partners/program` share.
 */
import type { Kysely } from 'kysely';
import type { Branding, Program, ProgramUpdate } from '../../contract/program.ts';
import type { ProgramRewards } from '../../contract/rewards.ts';
import type { Database, ProgramRow } from './schema.ts';

export function toProgram(row: ProgramRow): Program {
  return {
    programId: row.id,
    name: row.name,
    landingUrl: row.landing_url,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    attributionWindowDays: row.attribution_window_days,
    branding: JSON.parse(row.branding) as Branding,
    rewards: JSON.parse(row.rewards) as ProgramRewards,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getProgram(db: Kysely<Database>, programId: string): Promise<Program | null> {
  const row = await db.selectFrom('programs').selectAll().where('id', '=', programId).executeTakeFirst();
  return row ? toProgram(row) : null;
}

/**
 * Applies the given settings; `branding` is merged field by field, so setting
 * the colour keeps the logo. Returns the program as it now is, or null.
 */
export async function updateProgram(
  db: Kysely<Database>,
  programId: string,
  update: ProgramUpdate,
  now: number,
): Promise<Program | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('programs').selectAll().where('id', '=', programId).executeTakeFirst();
    if (!row) return null;
    const current = toProgram(row);
    const next = await trx
      .updateTable('programs')
      .set({
        name: update.name ?? current.name,
        landing_url: update.landingUrl === undefined ? current.landingUrl : update.landingUrl,
        allowed_origins: JSON.stringify(update.allowedOrigins ?? current.allowedOrigins),
        attribution_window_days: update.attributionWindowDays ?? current.attributionWindowDays,
        branding: JSON.stringify({ ...current.branding, ...update.branding }),
        rewards: JSON.stringify({ ...current.rewards, ...update.rewards }),
        updated_at: now,
      })
      .where('id', '=', programId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toProgram(next);
  });
}

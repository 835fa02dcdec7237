/**
 * @module
 * Partners and their API keys.
 */
import type { Kysely } from 'kysely';
import { apiKeyMatches, isWellFormedApiKey, issueApiKey, lookupOf } from '../domain/api-key.ts';
import { newId } from '../domain/ids.ts';
import { DEFAULT_BRANDING, DEFAULT_ATTRIBUTION_WINDOW_DAYS } from '../domain/program-defaults.ts';
import type { Database, PartnerRow } from './schema.ts';

export interface NewPartner {
  name: string;
  email?: string | null;
  approve?: boolean;
}

export interface CreatedPartner {
  partnerId: string;
  programId: string;
  /** The only time the key exists in clear. */
  apiKey: string;
}

/** A partner with its program and first API key, in one transaction. */
export async function createPartner(db: Kysely<Database>, input: NewPartner, now: number): Promise<CreatedPartner> {
  const partnerId = newId('prt');
  const programId = newId('pub');
  const key = issueApiKey();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('partners')
      .values({ id: partnerId, name: input.name, email: input.email ?? null, approved_at: input.approve ? now : null, created_at: now })
      .execute();
    await trx
      .insertInto('programs')
      .values({
        id: programId,
        partner_id: partnerId,
        name: input.name,
        landing_url: null,
        allowed_origins: '[]',
        attribution_window_days: DEFAULT_ATTRIBUTION_WINDOW_DAYS,
        branding: JSON.stringify({ ...DEFAULT_BRANDING, name: input.name }),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('api_keys')
      .values({ id: newId('key'), partner_id: partnerId, lookup: key.lookup, hash: key.hash, created_at: now, revoked_at: null })
      .execute();
  });
  return { partnerId, programId, apiKey: key.apiKey };
}

/** Marks a partner approved; false when there is no such partner. */
export async function approvePartner(db: Kysely<Database>, partnerId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('partners')
    .set((eb) => ({ approved_at: eb.fn.coalesce('approved_at', eb.val(now)) }))
    .where('id', '=', partnerId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface PartnerSummary extends PartnerRow {
  program_id: string;
}

export async function listPartners(db: Kysely<Database>): Promise<PartnerSummary[]> {
  return db
    .selectFrom('partners')
    .innerJoin('programs', 'programs.partner_id', 'partners.id')
    .selectAll('partners')
    .select('programs.id as program_id')
    .orderBy('partners.created_at')
    .execute();
}

/**
 * Revokes every key of the partner and issues a new one; the old key stops
 * working with the next request, in this process or any other. Null when there
 * is no such partner.
 */
export async function rotateApiKey(db: Kysely<Database>, partnerId: string, now: number): Promise<string | null> {
  const key = issueApiKey();
  return db.transaction().execute(async (trx) => {
    const partner = await trx.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst();
    if (!partner) return null;
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('partner_id', '=', partnerId).where('revoked_at', 'is', null).execute();
    await trx
      .insertInto('api_keys')
      .values({ id: newId('key'), partner_id: partnerId, lookup: key.lookup, hash: key.hash, created_at: now, revoked_at: null })
      .execute();
    return key.apiKey;
  });
}

/** Who a request's API key belongs to. */
export interface KeyOwner {
  partnerId: string;
  approved: boolean;
  programId: string;
  attributionWindowDays: number;
}

/**
 * The owner of a live key, or null (also for anything not shaped like a key,
 * without a query). Read on every request, so a rotation or approval applies at once.
 */
export async function findKeyOwner(db: Kysely<Database>, apiKey: string): Promise<KeyOwner | null> {
  return (await findLiveKey(db, apiKey))?.owner ?? null;
}

/** `findKeyOwner` with the stored hash the key matched, for a cache to check later requests against. */
export async function findLiveKey(db: Kysely<Database>, apiKey: string): Promise<{ hash: string; owner: KeyOwner } | null> {
  if (!isWellFormedApiKey(apiKey)) return null;
  const candidates = await db
    .selectFrom('api_keys')
    .innerJoin('partners', 'partners.id', 'api_keys.partner_id')
    .innerJoin('programs', 'programs.partner_id', 'partners.id')
    .select(['api_keys.hash', 'partners.id as partnerId', 'partners.approved_at', 'programs.id as programId', 'programs.attribution_window_days'])
    .where('api_keys.lookup', '=', lookupOf(apiKey))
    .where('api_keys.revoked_at', 'is', null)
    .execute();
  const row = candidates.find((candidate) => apiKeyMatches(apiKey, candidate.hash));
  return row
    ? {
      hash: row.hash,
      owner: { partnerId: row.partnerId, approved: row.approved_at !== null, programId: row.programId, attributionWindowDays: row.attribution_window_days },
    }
    : null;
}

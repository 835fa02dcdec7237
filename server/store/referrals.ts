/**
 * @module
 * Referrals: every query the partner API makes of them. Each one is scoped by
 * the caller's program, so another partner's referral is simply not found.
 */
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { ListReferralsQuery, Referral, ReferralStatus } from '../../contract/referrals.ts';
import { ApiError, invalidField, referralNotFound } from '../domain/api-error.ts';
import { normalizeEmail } from '../domain/email.ts';
import { newId } from '../domain/ids.ts';
import { attributionCutoff, effectiveStatus, OPEN_STATUSES } from '../domain/lifecycle.ts';
import { isUniqueViolation, type Dialect } from './connect.ts';
import { ensureReferrer } from './referrers.ts';
import { createConversionRewards } from './rewards.ts';
import type { Database, ReferralRow, ReferrerRow } from './schema.ts';

/** The program a request acts for, with what reads need to know of it. */
export interface ProgramScope {
  programId: string;
  attributionWindowDays: number;
}

export type ReferralView = ReferralRow & { referrer_identifier: string; referral_code: string };
type Joined = { referrals: Database['referrals']; referrers: Database['referrers'] };

function selectViews(db: Kysely<Database>) {
  return db
    .selectFrom('referrals')
    .innerJoin('referrers', 'referrers.id', 'referrals.referrer_id')
    .selectAll('referrals')
    .select(['referrers.identifier as referrer_identifier', 'referrers.code as referral_code']);
}

export function toReferral(row: ReferralView, cutoff: number): Referral {
  return {
    referralId: row.id,
    referralCode: row.referral_code,
    status: effectiveStatus(row.status, row.created_at, cutoff),
    friendEmail: row.friend_email,
    friendName: row.friend_name,
    createdAt: row.created_at,
    convertedAt: row.converted_at,
    conversionValue: row.conversion_value === null ? null : String(row.conversion_value),
    currency: row.currency,
    referrerIdentifier: row.referrer_identifier,
    externalSourceId: row.external_source_id,
    metadata: JSON.parse(row.metadata) as Referral['metadata'],
  };
}

export async function findView(db: Kysely<Database>, programId: string, referralId: string): Promise<ReferralView | undefined> {
  return selectViews(db).where('referrals.program_id', '=', programId).where('referrals.id', '=', referralId).executeTakeFirst();
}

export async function getReferral(db: Kysely<Database>, scope: ProgramScope, referralId: string, now: number): Promise<Referral> {
  const row = await findView(db, scope.programId, referralId);
  if (!row) throw referralNotFound();
  return toReferral(row, attributionCutoff(now, scope.attributionWindowDays));
}

export interface NewReferralInput {
  referrerIdentifier: string;
  friendEmail: string;
  friendName: string;
  externalSourceId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

export interface CreatedReferral {
  referral: Referral;
  /** False when the (referrer, friend email) pair already had a referral. */
  created: boolean;
}

/**
 * A pending referral, or the existing one for the same referrer and friend
 * email. The database's unique key decides, so parallel requests, even on
 * several servers, create exactly one.
 */
export async function createReferral(
  db: Kysely<Database>,
  scope: ProgramScope,
  input: NewReferralInput,
  now: number,
): Promise<CreatedReferral> {
  const referrer = await ensureReferrer(db, scope.programId, input.referrerIdentifier, now);
  return insertPendingReferral(db, scope, referrer, input, now);
}

/** `createReferral` for a referrer already at hand. */
export async function insertPendingReferral(
  db: Kysely<Database>,
  scope: ProgramScope,
  referrer: ReferrerRow,
  input: Omit<NewReferralInput, 'referrerIdentifier'>,
  now: number,
): Promise<CreatedReferral> {
  const inserted = await db
    .insertInto('referrals')
    .values({
      id: newId('ref'),
      program_id: scope.programId,
      referrer_id: referrer.id,
      status: 'pending',
      friend_email: input.friendEmail.trim(),
      friend_email_normalized: normalizeEmail(input.friendEmail),
      friend_name: input.friendName,
      external_source_id: input.externalSourceId ?? null,
      external_transaction_id: null,
      conversion_value: null,
      currency: null,
      metadata: JSON.stringify(input.metadata ?? {}),
      created_at: now,
      converted_at: null,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['program_id', 'referrer_id', 'friend_email_normalized']).doNothing())
    .returningAll()
    .executeTakeFirst();

  const cutoff = attributionCutoff(now, scope.attributionWindowDays);
  if (inserted) {
    return { referral: toReferral({ ...inserted, referrer_identifier: referrer.identifier, referral_code: referrer.code }, cutoff), created: true };
  }
  return { referral: toReferral(await findByFriend(db, scope.programId, referrer.id, input.friendEmail), cutoff), created: false };
}

/** The referral of this referrer and friend; it must exist. */
export async function findByFriend(db: Kysely<Database>, programId: string, referrerId: string, friendEmail: string): Promise<ReferralView> {
  return selectViews(db)
    .where('referrals.program_id', '=', programId)
    .where('referrals.referrer_id', '=', referrerId)
    .where('referrals.friend_email_normalized', '=', normalizeEmail(friendEmail))
    .executeTakeFirstOrThrow();
}

export interface ReferralPatch {
  externalSourceId?: string | null | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/** Sets the writable fields; `metadata` is replaced as a whole. */
export async function updateReferral(
  db: Kysely<Database>,
  scope: ProgramScope,
  referralId: string,
  patch: ReferralPatch,
  now: number,
): Promise<Referral> {
  const changes: { updated_at: number; external_source_id?: string | null; metadata?: string } = { updated_at: now };
  if (patch.externalSourceId !== undefined) changes.external_source_id = patch.externalSourceId;
  if (patch.metadata !== undefined) changes.metadata = JSON.stringify(patch.metadata);
  const result = await db
    .updateTable('referrals')
    .set(changes)
    .where('program_id', '=', scope.programId)
    .where('id', '=', referralId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw referralNotFound();
  return getReferral(db, scope, referralId, now);
}

export interface ConversionInput {
  conversionValue?: number | undefined;
  externalTransactionId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

export interface Conversion {
  referral: Referral;
  /** False on an idempotent replay. */
  converted: boolean;
}

/**
 * Marks a referral converted. A replay with the same transaction ID returns
 * the original result; a different one, or a transaction ID already used on
 * another referral, is a DUPLICATE_CONVERSION. The conditional update and the
 * unique (program, transaction) key make this hold under races.
 */
export async function convertReferral(
  db: Kysely<Database>,
  scope: ProgramScope,
  referralId: string,
  input: ConversionInput,
  now: number,
  maxMetadataBytes: number,
): Promise<Conversion> {
  const cutoff = attributionCutoff(now, scope.attributionWindowDays);
  const transactionId = input.externalTransactionId ?? null;

  const current = await findView(db, scope.programId, referralId);
  if (!current) throw referralNotFound();

  if (current.status === 'converted') {
    if (current.external_transaction_id === transactionId) return { referral: toReferral(current, cutoff), converted: false };
    throw new ApiError('DUPLICATE_CONVERSION', 'The referral was already converted under a different transaction ID');
  }
  if (effectiveStatus(current.status, current.created_at, cutoff) === 'expired') {
    throw new ApiError('REFERRAL_EXPIRED', 'The referral expired: its attribution window passed without a conversion');
  }

  const metadata = { ...(JSON.parse(current.metadata) as Record<string, unknown>), ...input.metadata };
  const metadataJson = JSON.stringify(metadata);
  if (Buffer.byteLength(metadataJson) > maxMetadataBytes) {
    throw invalidField('metadata', `Together with the referral's metadata, must be at most ${maxMetadataBytes} bytes as JSON`);
  }

  try {
    // The conversion, its rewards and its events commit together: an acknowledged conversion never lacks its rewards.
    const converted = await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('referrals')
        .set({
          status: 'converted',
          converted_at: now,
          conversion_value: input.conversionValue ?? null,
          currency: 'EUR',
          external_transaction_id: transactionId,
          metadata: metadataJson,
          updated_at: now,
        })
        .where('program_id', '=', scope.programId)
        .where('id', '=', referralId)
        .where('status', 'in', OPEN_STATUSES)
        .where('created_at', '>=', cutoff)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await createConversionRewards(trx, {
        programId: scope.programId, referralId, referrerId: current.referrer_id, conversionValue: input.conversionValue ?? null, convertedAt: now,
      });
      return true;
    });
    if (!converted) {
      // Somebody else changed it between our read and write: judge again against what they wrote.
      return convertReferral(db, scope, referralId, input, now, maxMetadataBytes);
    }
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new ApiError('DUPLICATE_CONVERSION', 'This transaction ID was already reported for another referral');
  }
  // The row is what we just wrote: no need to read it back on this hot path.
  const written = {
    ...current,
    status: 'converted' as const,
    converted_at: now,
    conversion_value: input.conversionValue ?? null,
    currency: 'EUR' as const,
    external_transaction_id: transactionId,
    metadata: metadataJson,
    updated_at: now,
  };
  return { referral: toReferral(written, cutoff), converted: true };
}

export interface ReferralPage {
  referrals: Referral[];
  total: number;
}

const SORT_COLUMNS = {
  createdAt: 'referrals.created_at',
  convertedAt: 'referrals.converted_at',
  conversionValue: 'referrals.conversion_value',
} as const;

/** One page of the program's referrals, filtered and sorted as asked. */
export async function listReferrals(
  db: Kysely<Database>,
  dialect: Dialect,
  scope: ProgramScope,
  query: ListReferralsQuery,
  now: number,
): Promise<ReferralPage> {
  const cutoff = attributionCutoff(now, scope.attributionWindowDays);
  const filtered = <O>(qb: SelectQueryBuilder<Database & Joined, 'referrals' | 'referrers', O>) => {
    let q = qb.where('referrals.program_id', '=', scope.programId);
    if (query.status) q = q.where(statusFilter(query.status, cutoff));
    if (query.referrerEmail) q = q.where('referrers.email', '=', normalizeEmail(query.referrerEmail));
    if (query.dateFrom !== undefined) q = q.where('referrals.created_at', '>=', query.dateFrom);
    if (query.dateTo !== undefined) q = q.where('referrals.created_at', '<=', query.dateTo);
    if (query.search) q = q.where(searchFilter(query.search));
    return q;
  };

  const column = SORT_COLUMNS[query.sortBy];
  // Both databases order "no value" below every value: SQLite does by nature; PostgreSQL is told.
  const direction = query.sortOrder === 'asc'
    ? (dialect === 'postgres' ? sql`asc nulls first` : sql`asc`)
    : (dialect === 'postgres' ? sql`desc nulls last` : sql`desc`);

  // Every referral has exactly one referrer, so the count joins referrers only when a filter reads them:
  // the join is most of the cost of a count (17.5 → 5.3 ms at 100 000 referrals, see BENCHMARKS.md).
  const joined = db.selectFrom('referrals').innerJoin('referrers', 'referrers.id', 'referrals.referrer_id');
  const countBase = query.referrerEmail || query.search ? joined : (db.selectFrom('referrals') as unknown as typeof joined);

  const [rows, count] = await Promise.all([
    filtered(selectViews(db))
      .orderBy(sql`${sql.ref(column)} ${direction}`)
      .orderBy('referrals.id', query.sortOrder)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    filtered(countBase)
      .select((eb) => eb.fn.countAll().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { referrals: rows.map((row) => toReferral(row, cutoff)), total: Number(count.total) };
}

/** The stored statuses that read as `status` at this cutoff. */
function statusFilter(status: ReferralStatus, cutoff: number) {
  return (eb: ExpressionBuilder<Database & Joined, 'referrals' | 'referrers'>) => {
    switch (status) {
      case 'converted':
        return eb('referrals.status', '=', 'converted');
      case 'expired':
        return eb.or([
          eb('referrals.status', '=', 'expired'),
          eb.and([eb('referrals.status', 'in', OPEN_STATUSES), eb('referrals.created_at', '<', cutoff)]),
        ]);
      default:
        return eb.and([eb('referrals.status', '=', status), eb('referrals.created_at', '>=', cutoff)]);
    }
  };
}

/** Case-insensitive substring match on the text a person would search by, or an exact ID or code. */
function searchFilter(search: string) {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // The database lower-cases both sides, so they agree on which letters have cases (SQLite: ASCII only).
  const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
  return (eb: ExpressionBuilder<Database & Joined, 'referrals' | 'referrers'>) =>
    eb.or([
      like('referrals.friend_email_normalized'),
      like('referrals.friend_name'),
      like('referrals.external_source_id'),
      like('referrers.identifier'),
      eb('referrals.id', '=', search),
      eb('referrers.code', '=', search),
    ]);
}

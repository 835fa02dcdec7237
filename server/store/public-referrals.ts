/**
 * @module
 * What the public endpoints (referral links, tracker, widget) do to referrals:
 * record a click, and turn a friend's details into a pending referral,
 * upgrading their click when there is one so a friend is counted once.
 */
import type { Kysely } from 'kysely';
import type { Program } from '../../contract/program.ts';
import { ApiError, invalidField } from '../domain/api-error.ts';
import { normalizeEmail } from '../domain/email.ts';
import { newId } from '../domain/ids.ts';
import { attributionCutoff } from '../domain/lifecycle.ts';
import { isUniqueViolation } from './connect.ts';
import { toProgram } from './programs.ts';
import { findByFriend, findView, getReferral, insertPendingReferral, type CreatedReferral, type ProgramScope } from './referrals.ts';
import type { Database, ProgramRow, ReferrerRow } from './schema.ts';

/** Repeated clicks by the same visitor within this time count once. */
export const CLICK_DEDUPE_MS = 3_600_000;

export interface ShareLink {
  referrer: ReferrerRow;
  program: Program;
}

/** The referrer and program behind a share code, or null. */
export async function findShareLink(db: Kysely<Database>, code: string): Promise<ShareLink | null> {
  const row = await shareLinkQuery(db, code).executeTakeFirst();
  return row ? toShareLink(row) : null;
}

/** Referrer and program in one query; the referrer's columns carry an `r_` prefix. */
function shareLinkQuery(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('referrers')
    .innerJoin('programs', 'programs.id', 'referrers.program_id')
    .selectAll('programs')
    .select([
      'referrers.id as r_id', 'referrers.program_id as r_program_id', 'referrers.identifier as r_identifier',
      'referrers.email as r_email', 'referrers.code as r_code', 'referrers.created_at as r_created_at',
    ])
    .where('referrers.code', '=', code);
}

type ShareLinkRow = ProgramRow & { [K in keyof ReferrerRow as `r_${K}`]: ReferrerRow[K] };

function toShareLink(row: ShareLinkRow): ShareLink {
  const { r_id, r_program_id, r_identifier, r_email, r_code, r_created_at, ...program } = row;
  const referrer: ReferrerRow = { id: r_id, program_id: r_program_id, identifier: r_identifier, email: r_email, code: r_code, created_at: r_created_at };
  return { referrer, program: toProgram(program) };
}

export interface Click {
  /** The clicked referral's ID, handed to the landing page as `ot_click`. */
  clickId: string;
  /** False when the same visitor clicked within the hour and this click was not counted again. */
  counted: boolean;
}

/**
 * Records a click as a referral in status `clicked`, unless this visitor
 * (a hash, never the raw IP) clicked the same referrer's link within the hour.
 */
export async function recordClick(db: Kysely<Database>, link: ShareLink, visitorHash: string, now: number): Promise<Click> {
  const recent = await db
    .selectFrom('referrals')
    .select('id')
    .where('referrer_id', '=', link.referrer.id)
    .where('visitor_hash', '=', visitorHash)
    .where('created_at', '>=', now - CLICK_DEDUPE_MS)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (recent) return { clickId: recent.id, counted: false };
  return insertClick(db, link, visitorHash, now);
}

/**
 * A referral link's click in at most two queries, for `GET /r/{code}`: one
 * finds the link together with this visitor's click of the last hour, and a
 * click is inserted only when there is none. Null for an unknown code.
 */
export async function clickShareLink(
  db: Kysely<Database>,
  code: string,
  visitorHash: string,
  now: number,
): Promise<{ link: ShareLink; click: Click } | null> {
  const row = await shareLinkQuery(db, code)
    .select((eb) => eb
      .selectFrom('referrals')
      .select('referrals.id')
      .whereRef('referrals.referrer_id', '=', 'referrers.id')
      .where('referrals.visitor_hash', '=', visitorHash)
      .where('referrals.created_at', '>=', now - CLICK_DEDUPE_MS)
      .orderBy('referrals.created_at', 'desc')
      .limit(1)
      .as('recent_click_id'))
    .executeTakeFirst();
  if (!row) return null;
  const { recent_click_id: recent, ...rest } = row;
  const link = toShareLink(rest);
  return { link, click: recent ? { clickId: recent, counted: false } : await insertClick(db, link, visitorHash, now) };
}

async function insertClick(db: Kysely<Database>, link: ShareLink, visitorHash: string, now: number): Promise<Click> {
  const clickId = newId('ref');
  await db
    .insertInto('referrals')
    .values({
      id: clickId,
      program_id: link.program.programId,
      referrer_id: link.referrer.id,
      status: 'clicked',
      metadata: '{}',
      created_at: now,
      updated_at: now,
      visitor_hash: visitorHash,
    })
    .execute();
  return { clickId, counted: true };
}

export interface FriendSubmission {
  friendEmail: string;
  friendName: string;
  /** The referrer's share code, from the link or typed by the friend. */
  code?: string | undefined;
  /** The click this friend came from (`ot_click`), when known. */
  clickId?: string | undefined;
  /** The referrer's email, typed by a friend who has no code. */
  referrerEmail?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

/**
 * A pending referral for a friend who identified themself (widget, tracker's
 * `identify`). Their click, if still open, becomes that referral; otherwise a
 * new one is created with the same idempotency as the partner API. Without a
 * click ID (a link straight to the shop, whose click the tracker reported by
 * beacon and never learned the ID of), this visitor's open click of the same
 * referrer is the one.
 */
export async function identifyFriend(
  db: Kysely<Database>,
  scope: ProgramScope,
  submission: FriendSubmission,
  now: number,
  visitorHash?: string,
): Promise<CreatedReferral> {
  const cutoff = attributionCutoff(now, scope.attributionWindowDays);
  const click = submission.clickId ? await findView(db, scope.programId, submission.clickId) : undefined;

  const referrer = click
    ? await db.selectFrom('referrers').selectAll().where('id', '=', click.referrer_id).executeTakeFirstOrThrow()
    : await findReferrer(db, scope.programId, submission);
  if (!referrer) {
    throw new ApiError('VALIDATION_ERROR', 'We could not find who referred you', {
      fields: [{ field: submission.referrerEmail ? 'referrerEmail' : 'code', message: 'No referrer with this code or email' }],
    });
  }
  if (referrer.email && referrer.email === normalizeEmail(submission.friendEmail)) {
    throw invalidField('friendEmail', 'You cannot refer yourself');
  }
  const openClick = click
    ? (click.status === 'clicked' && click.created_at >= cutoff ? click : undefined)
    : visitorHash && (await findOpenClick(db, referrer.id, visitorHash, cutoff));

  if (openClick) {
    try {
      const upgraded = await db
        .updateTable('referrals')
        .set({
          status: 'pending',
          friend_email: submission.friendEmail.trim(),
          friend_email_normalized: normalizeEmail(submission.friendEmail),
          friend_name: submission.friendName,
          metadata: JSON.stringify(submission.metadata ?? {}),
          updated_at: now,
        })
        .where('id', '=', openClick.id)
        .where('status', '=', 'clicked')
        .executeTakeFirst();
      if (upgraded.numUpdatedRows > 0n) return { referral: await getReferral(db, scope, openClick.id, now), created: true };
    } catch (error) {
      // This friend was already referred by this referrer: that referral stands, the click stays a click.
      if (!isUniqueViolation(error)) throw error;
      const existing = await findByFriend(db, scope.programId, referrer.id, submission.friendEmail);
      return { referral: await getReferral(db, scope, existing.id, now), created: false };
    }
  }
  return insertPendingReferral(db, scope, referrer, submission, now);
}

/** This visitor's latest click of this referrer that is still open. */
async function findOpenClick(db: Kysely<Database>, referrerId: string, visitorHash: string, cutoff: number) {
  return db
    .selectFrom('referrals')
    .select('id')
    .where('referrer_id', '=', referrerId)
    .where('visitor_hash', '=', visitorHash)
    .where('status', '=', 'clicked')
    .where('created_at', '>=', cutoff)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

async function findReferrer(db: Kysely<Database>, programId: string, submission: FriendSubmission): Promise<ReferrerRow | undefined> {
  const query = db.selectFrom('referrers').selectAll().where('program_id', '=', programId);
  if (submission.code) return query.where('code', '=', submission.code.toLowerCase()).executeTakeFirst();
  if (submission.referrerEmail) return query.where('email', '=', normalizeEmail(submission.referrerEmail)).executeTakeFirst();
  return undefined;
}

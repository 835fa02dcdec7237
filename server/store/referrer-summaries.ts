/**
 * @module
 * Referrers as the partner API shows them: share code and link, referrals
 * counted by status (expiry judged at read time, like the referral list), and
 * the wallet balance from the ledger.
 */
import { sql, type Kysely } from 'kysely';
import type { Referrer } from '../../contract/referrers.ts';
import { normalizeEmail } from '../domain/email.ts';
import { walletAccount } from '../domain/ledger/accounts.ts';
import { attributionCutoff } from '../domain/lifecycle.ts';
import { accountBalances } from './ledger.ts';
import type { ProgramScope } from './referrals.ts';
import { ensureReferrer } from './referrers.ts';
import type { Database, ReferrerRow } from './schema.ts';

/** Where share links point: `<publicUrl>/r/<code>`. */
export type ShareUrl = (code: string) => string;

async function summarize(db: Kysely<Database>, scope: ProgramScope, rows: ReferrerRow[], shareUrl: ShareUrl, now: number): Promise<Referrer[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const cutoff = attributionCutoff(now, scope.attributionWindowDays);
  const open = (status: 'clicked' | 'pending') => sql<number>`sum(case when status = ${status} and created_at >= ${cutoff} then 1 else 0 end)`;
  const counted = await db
    .selectFrom('referrals')
    .select([
      'referrer_id',
      open('clicked').as('clicked'),
      open('pending').as('pending'),
      sql<number>`sum(case when status = 'converted' then 1 else 0 end)`.as('converted'),
      sql<number>`sum(case when status = 'expired' or (status in ('clicked', 'pending') and created_at < ${cutoff}) then 1 else 0 end)`.as('expired'),
    ])
    .where('referrer_id', 'in', ids)
    .groupBy('referrer_id')
    .execute();
  const wallets = await accountBalances(db, ids.map(walletAccount));
  return rows.map((row) => {
    const c = counted.find((r) => r.referrer_id === row.id);
    // PostgreSQL sums as numeric (a string); absent rows mean no referrals.
    const counts = { clicked: Number(c?.clicked ?? 0), pending: Number(c?.pending ?? 0), converted: Number(c?.converted ?? 0), expired: Number(c?.expired ?? 0) };
    return {
      referrerIdentifier: row.identifier,
      email: row.email,
      referralCode: row.code,
      shareUrl: shareUrl(row.code),
      createdAt: row.created_at,
      counts,
      walletBalance: wallets.get(walletAccount(row.id)) ?? 0,
    };
  });
}

/** The program's referrer with this identifier, or null. */
export async function getReferrer(db: Kysely<Database>, scope: ProgramScope, identifier: string, shareUrl: ShareUrl, now: number): Promise<Referrer | null> {
  const row = await db.selectFrom('referrers').selectAll().where('program_id', '=', scope.programId).where('identifier', '=', identifier).executeTakeFirst();
  return row ? (await summarize(db, scope, [row], shareUrl, now))[0]! : null;
}

/**
 * The referrer with this identifier, created if new (idempotent, like
 * referral creation); an email given for a referrer without one is kept.
 */
export async function createReferrer(
  db: Kysely<Database>,
  scope: ProgramScope,
  input: { referrerIdentifier: string; email?: string | undefined },
  shareUrl: ShareUrl,
  now: number,
): Promise<{ referrer: Referrer; created: boolean }> {
  const existing = await db.selectFrom('referrers').select('id').where('program_id', '=', scope.programId).where('identifier', '=', input.referrerIdentifier).executeTakeFirst();
  const row = await ensureReferrer(db, scope.programId, input.referrerIdentifier, now, input.email ?? null);
  if (existing && input.email && row.email === null) {
    await db.updateTable('referrers').set({ email: normalizeEmail(input.email) }).where('id', '=', row.id).where('email', 'is', null).execute();
  }
  const referrer = await getReferrer(db, scope, input.referrerIdentifier, shareUrl, now);
  return { referrer: referrer!, created: !existing };
}

export interface ReferrerQuery {
  email?: string | undefined;
  page: number;
  pageSize: number;
}

/** One page of the program's referrers, newest first. */
export async function listReferrers(
  db: Kysely<Database>,
  scope: ProgramScope,
  query: ReferrerQuery,
  shareUrl: ShareUrl,
  now: number,
): Promise<{ referrers: Referrer[]; total: number }> {
  let q = db.selectFrom('referrers').where('program_id', '=', scope.programId);
  if (query.email) q = q.where('email', '=', normalizeEmail(query.email));
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    q.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { referrers: await summarize(db, scope, rows, shareUrl, now), total: Number(count.total) };
}

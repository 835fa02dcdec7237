/**
 * @module
 * Helpers for money-flow tests: a partner whose program pays rewards, a
 * converted referral, and the balances a person would check.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { ProgramRewards, Reward } from '../../contract/rewards.ts';
import { COMMISSION_ACCOUNT, partnerAccount, walletAccount } from '../domain/ledger/accounts.ts';
import type { Store } from '../store/connect.ts';
import { accountBalance } from '../store/ledger.ts';
import { call, createdReferralId, newPartner, PROGRAM, REFERRALS, type TestPartner } from './api-client.ts';

export const DAY_MS = 86_400_000;

/** A new approved partner whose program has these reward settings. */
export async function rewardingPartner(app: FastifyInstance, store: Store, rewards: Partial<ProgramRewards>, now: number): Promise<TestPartner> {
  const partner = await newPartner(store, { now });
  const response = await call(app, partner, 'PATCH', PROGRAM, { rewards });
  expect(response.statusCode, response.body).toBe(200);
  return partner;
}

export interface Converted {
  referralId: string;
  referrerIdentifier: string;
  rewards: Reward[];
}

let sequence = 0;

/** Creates and converts a referral through the API; returns it with its rewards. */
export async function convertedReferral(
  app: FastifyInstance,
  partner: TestPartner,
  conversionValue: number | undefined,
  referrerIdentifier = `cust_money_${++sequence}`,
): Promise<Converted> {
  const referralId = await createdReferralId(app, partner, { referrerIdentifier, friendEmail: `money${++sequence}@example.com` });
  const converted = await call(app, partner, 'POST', `${REFERRALS}/${referralId}/convert`, {
    ...(conversionValue !== undefined && { conversionValue }),
    externalTransactionId: `order_${sequence}_${referralId}`,
  });
  expect(converted.statusCode, converted.body).toBe(201);
  return { referralId, referrerIdentifier, rewards: await rewardsOf(app, partner, referralId) };
}

/** The referral's rewards, referrer's first. */
export async function rewardsOf(app: FastifyInstance, partner: TestPartner, referralId: string): Promise<Reward[]> {
  const response = await call(app, partner, 'GET', `/api/v1/partners/rewards?referralId=${referralId}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json<{ rewards: Reward[] }>().rewards).sort((a, b) => (a.beneficiary === 'referrer' ? -1 : b.beneficiary === 'referrer' ? 1 : 0));
}

/** The referrer's wallet, the partner's balance and the operator's commission, from the ledger. */
export async function balances(store: Store, partnerId: string, referrerId?: string) {
  return {
    wallet: referrerId ? await accountBalance(store.db, walletAccount(referrerId)) : 0,
    partner: await accountBalance(store.db, partnerAccount(partnerId)),
    commission: await accountBalance(store.db, COMMISSION_ACCOUNT),
  };
}

/** The internal ID of a referrer of the partner's program. */
export async function referrerIdOf(store: Store, programId: string, identifier: string): Promise<string> {
  const row = await store.db.selectFrom('referrers').select('id').where('program_id', '=', programId).where('identifier', '=', identifier).executeTakeFirstOrThrow();
  return row.id;
}

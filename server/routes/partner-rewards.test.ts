import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reward } from '../../contract/rewards.ts';
import { manualClock } from '../domain/clock.ts';
import { fundRewards } from '../jobs/fund-rewards.ts';
import { manualProvider } from '../payments/manual.ts';
import { call, createdReferralId, expectError, fieldNames, newPartner, REFERRALS, testApp } from '../test/api-client.ts';
import { balances, convertedReferral, DAY_MS, referrerIdOf, rewardingPartner, rewardsOf } from '../test/money.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

describe.each(STORE_KINDS)('rewards in the partner API on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock();
  const commission = { basisPoints: 1000, fixed: 25 };
  const fund = () => fundRewards({ store, clock, provider: manualProvider(), commission });
  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, { commissionBps: commission.basisPoints, commissionFixed: commission.fixed }, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('creates a conversion\'s rewards with it, awaiting approval', async () => {
    const partner = await rewardingPartner(app, store, {
      referrerReward: { type: 'percentage', basisPoints: 1000, maxAmount: 5000 }, friendReward: { type: 'fixed', amount: 500 }, confirmationPeriodDays: 14,
    }, clock.now());
    const { referralId, rewards } = await convertedReferral(app, partner, 12999);
    expect(rewards).toEqual([
      expect.objectContaining({ referralId, beneficiary: 'referrer', status: 'awaiting_approval', amount: 1300, originalAmount: 1300, clawedBack: 0, commission: null, currency: 'EUR', approvedAt: null, maturesAt: clock.now() + 14 * DAY_MS, fundedAt: null, fundingError: null }),
      expect.objectContaining({ referralId, beneficiary: 'friend', status: 'awaiting_approval', amount: 500 }),
    ]);
  });

  it('creates no rewards when the program pays none, and a replayed conversion creates none twice', async () => {
    const plain = await newPartner(store, { now: clock.now() });
    expect((await convertedReferral(app, plain, 5000)).rewards).toEqual([]);
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 } }, clock.now());
    const id = await createdReferralId(app, partner);
    for (const expected of [201, 200]) {
      expect((await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: `o_${id}` })).statusCode).toBe(expected);
    }
    expect(await rewardsOf(app, partner, id)).toHaveLength(1);
  });

  it('approves at conversion with auto-approval', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true }, clock.now());
    const { rewards } = await convertedReferral(app, partner, undefined);
    expect(rewards).toEqual([expect.objectContaining({ status: 'approved', approvedAt: clock.now() })]);
  });

  it('approves idempotently, rejects with a reason, and never approves a rejected reward', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 } }, clock.now());
    const first = await convertedReferral(app, partner, 5000);
    for (let i = 0; i < 2; i++) {
      const approved = await call(app, partner, 'POST', `${REFERRALS}/${first.referralId}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json<{ rewards: Reward[] }>().rewards).toEqual([expect.objectContaining({ status: 'approved', approvedAt: clock.now() })]);
    }
    const second = await convertedReferral(app, partner, 5000);
    const rejected = await call(app, partner, 'POST', `${REFERRALS}/${second.referralId}/reject`, { reason: 'Fraudulent order' });
    expect(rejected.json<{ rewards: Reward[] }>().rewards).toEqual([expect.objectContaining({ status: 'rejected', rejectionReason: 'Fraudulent order', rejectedAt: clock.now() })]);
    const events = (await call(app, partner, 'GET', '/api/v1/partners/events?type=reward.rejected')).json().events;
    expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ referralId: second.referralId, rejectionReason: 'Fraudulent order' }) })]);
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${second.referralId}/approve`), 409, 'REWARD_CONFLICT');
  });

  it('refuses decisions and refunds on referrals that are not converted, or not the partner\'s', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 } }, clock.now());
    const pending = await createdReferralId(app, partner);
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${pending}/approve`), 409, 'REFERRAL_NOT_CONVERTED');
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${pending}/refunds`, { amount: 1, idempotencyKey: 'r' }), 409, 'REFERRAL_NOT_CONVERTED');
    const other = await newPartner(store, { now: clock.now() });
    const { referralId } = await convertedReferral(app, partner, 5000);
    expectError(await call(app, other, 'POST', `${REFERRALS}/${referralId}/approve`), 404, 'NOT_FOUND');
    expectError(await call(app, other, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 1, idempotencyKey: 'r' }), 404, 'NOT_FOUND');
  });

  it('funds approved rewards once the confirmation period has passed, charging reward plus commission', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, confirmationPeriodDays: 7 }, clock.now());
    const { referralId, referrerIdentifier } = await convertedReferral(app, partner, 5000);
    const referrerId = await referrerIdOf(store, partner.programId, referrerIdentifier);
    await fund();
    expect((await rewardsOf(app, partner, referralId))[0]!.status).toBe('awaiting_approval');
    await call(app, partner, 'POST', `${REFERRALS}/${referralId}/approve`);
    clock.advance(7 * DAY_MS - 1);
    await fund();
    expect((await rewardsOf(app, partner, referralId))[0]!.status).toBe('approved');
    clock.advance(1);
    await fund();
    const [funded] = await rewardsOf(app, partner, referralId);
    expect(funded).toMatchObject({ status: 'funded', fundedAt: clock.now(), amount: 1000, commission: 125 });
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: -1125 });
    await fund();
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: -1125 });
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${referralId}/reject`), 409, 'REWARD_CONFLICT');
  });

  it('reduces an unfunded reward in proportion to a refund, and voids it on a full refund', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 } }, clock.now());
    const { referralId } = await convertedReferral(app, partner, 12999);
    const partial = await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 4333, idempotencyKey: 'refund-1' });
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json()).toMatchObject({ amount: 4333, refundedTotal: 4333, dispute: false, idempotent: false, rewards: [{ amount: 667, clawedBack: 333, status: 'awaiting_approval' }] });
    const replay = await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 4333, idempotencyKey: 'refund-1' });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ refundId: partial.json().refundId, idempotent: true, rewards: [{ amount: 667 }] });
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 1, idempotencyKey: 'refund-1' }), 409, 'IDEMPOTENCY_KEY_REUSED');
    const tooMuch = expectError(await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 8667, idempotencyKey: 'refund-2' }), 400, 'VALIDATION_ERROR');
    expect(fieldNames(tooMuch)).toEqual(['amount']);
    const rest = await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 8666, idempotencyKey: 'refund-3' });
    expect(rest.json()).toMatchObject({ refundedTotal: 12999, rewards: [{ amount: 0, clawedBack: 1000, status: 'voided' }] });
  });

  it('claws a funded reward back from the wallet (which may go negative) and credits the partner, commission included', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true, confirmationPeriodDays: 0 }, clock.now());
    const { referralId, referrerIdentifier } = await convertedReferral(app, partner, 10000);
    const referrerId = await referrerIdOf(store, partner.programId, referrerIdentifier);
    await fund();
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: -1125 });
    const refund = await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 2500, idempotencyKey: 'r1' });
    expect(refund.json()).toMatchObject({ rewards: [{ status: 'funded', amount: 750, clawedBack: 250, commission: 100 }] });
    // 250 of reward and 25 of commission (125 on 1000, 100 on 750) back to the partner.
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 750, partner: -850 });
    const dispute = await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 0, idempotencyKey: 'chargeback', dispute: true });
    expect(dispute.json()).toMatchObject({ dispute: true, rewards: [{ status: 'voided', amount: 0, clawedBack: 1000, commission: 0 }] });
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 0, partner: 0 });
  });

  it('lists rewards by status and shows one by ID', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 700 } }, clock.now());
    const { rewards: [created] } = await convertedReferral(app, partner, 100);
    const list = await call(app, partner, 'GET', '/api/v1/partners/rewards?status=awaiting_approval&pageSize=10');
    expect(list.json()).toMatchObject({ rewards: [{ rewardId: created!.rewardId }], pagination: { page: 1, pageSize: 10, total: 1 } });
    expect((await call(app, partner, 'GET', `/api/v1/partners/rewards/${created!.rewardId}`)).json()).toEqual(created);
    expectError(await call(app, await newPartner(store), 'GET', `/api/v1/partners/rewards/${created!.rewardId}`), 404, 'NOT_FOUND');
  });
});

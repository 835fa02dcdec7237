import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../domain/clock.ts';
import { fundRewards } from '../jobs/fund-rewards.ts';
import { manualProvider } from '../payments/manual.ts';
import { call, createdReferralId, expectError, fieldNames, newPartner, REFERRALS, testApp } from '../test/api-client.ts';
import { convertedReferral, DAY_MS, rewardingPartner } from '../test/money.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const REFERRERS = '/api/v1/partners/referrers';

describe.each(STORE_KINDS)('the referrer resource on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock();
  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, { publicUrl: 'https://refer.shop.example/' }, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('creates a referrer with a share code and link, idempotently', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const created = await call(app, partner, 'POST', REFERRERS, { referrerIdentifier: 'cust/42 Ana', email: 'Ana@Example.com' });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body).toEqual({
      referrerIdentifier: 'cust/42 Ana', email: 'ana@example.com', referralCode: expect.stringMatching(/^[a-z0-9]{8}$/),
      shareUrl: `https://refer.shop.example/r/${body.referralCode}`, createdAt: clock.now(),
      counts: { clicked: 0, pending: 0, converted: 0, expired: 0 }, walletBalance: 0,
    });
    const again = await call(app, partner, 'POST', REFERRERS, { referrerIdentifier: 'cust/42 Ana' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(body);
    expect((await call(app, partner, 'GET', `${REFERRERS}/${encodeURIComponent('cust/42 Ana')}`)).json()).toEqual(body);
  });

  it('keeps an email given later for a referrer created without one', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    await createdReferralId(app, partner, { referrerIdentifier: 'cust_7' });
    const response = await call(app, partner, 'POST', REFERRERS, { referrerIdentifier: 'cust_7', email: 'seven@example.com' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ email: 'seven@example.com', counts: { pending: 1 } });
  });

  it('counts referrals by status as the referral list shows them, and shows the wallet', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true, confirmationPeriodDays: 0 }, clock.now());
    const first = await convertedReferral(app, partner, 10000, 'cust_rita');
    await createdReferralId(app, partner, { referrerIdentifier: 'cust_rita' });
    await fundRewards({ store, clock, provider: manualProvider(), commission: { basisPoints: 0, fixed: 0 } });
    clock.advance(91 * DAY_MS);
    await createdReferralId(app, partner, { referrerIdentifier: 'cust_rita' });
    // A full refund after funding takes the whole reward back from the wallet.
    await call(app, partner, 'POST', `${REFERRALS}/${first.referralId}/refunds`, { amount: 10000, idempotencyKey: 'all' });
    await convertedReferral(app, partner, 10000, 'cust_rita');
    expect((await call(app, partner, 'GET', `${REFERRERS}/cust_rita`)).json()).toMatchObject({
      counts: { clicked: 0, pending: 1, converted: 2, expired: 1 }, walletBalance: 0,
    });
    await fundRewards({ store, clock, provider: manualProvider(), commission: { basisPoints: 0, fixed: 0 } });
    expect((await call(app, partner, 'GET', `${REFERRERS}/cust_rita`)).json().walletBalance).toBe(1000);
  });

  it('lists referrers newest first, filtered by email, a page at a time', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    for (const [i, email] of ['a@example.com', 'b@example.com', 'c@example.com'].entries()) {
      clock.advance(1);
      await call(app, partner, 'POST', REFERRERS, { referrerIdentifier: `r${i}`, email });
    }
    const page = (await call(app, partner, 'GET', `${REFERRERS}?pageSize=2&page=1`)).json();
    expect(page.referrers.map((r: { referrerIdentifier: string }) => r.referrerIdentifier)).toEqual(['r2', 'r1']);
    expect(page.pagination).toEqual({ page: 1, pageSize: 2, total: 3 });
    const byEmail = (await call(app, partner, 'GET', `${REFERRERS}?email=B@example.com`)).json();
    expect(byEmail.referrers.map((r: { referrerIdentifier: string }) => r.referrerIdentifier)).toEqual(['r1']);
  });

  it('finds only the partner\'s own referrers, and validates what it is sent', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    await call(app, partner, 'POST', REFERRERS, { referrerIdentifier: 'mine' });
    expectError(await call(app, await newPartner(store), 'GET', `${REFERRERS}/mine`), 404, 'NOT_FOUND');
    const invalid = expectError(await call(app, partner, 'POST', REFERRERS, { referrerIdentifier: ' padded ', email: 'nope', partnerId: 'x' }), 400, 'VALIDATION_ERROR');
    expect(fieldNames(invalid).sort()).toEqual(['email', 'partnerId', 'referrerIdentifier']);
  });
});

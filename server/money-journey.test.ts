/**
 * The whole money flow as a partner lives it, on SQLite and PostgreSQL, with
 * the manual provider and with Stripe: convert → approve → the confirmation
 * period passes → funded → partial refund, checked through the partner API.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reward } from '../contract/rewards.ts';
import { manualClock } from './domain/clock.ts';
import { createJobs, type Jobs } from './jobs/run-jobs.ts';
import { manualProvider } from './payments/manual.ts';
import { stripeProvider } from './payments/stripe.ts';
import { call, newPartner, PROGRAM, REFERRALS, testApp, type TestPartner } from './test/api-client.ts';
import { startFakeStripe, type FakeStripe } from './test/fake-stripe.ts';
import { DAY_MS } from './test/money.ts';
import { freshStore, STORE_KINDS, type TestStore } from './test/stores.ts';

const PROVIDERS = ['manual', 'stripe'] as const;

describe.each(STORE_KINDS.flatMap((kind) => PROVIDERS.map((provider) => [kind, provider] as const)))('the money journey on %s with %s', (kind, providerName) => {
  let store: TestStore;
  let app: FastifyInstance;
  let stripe: FakeStripe;
  let jobs: Jobs;
  let partner: TestPartner;
  const clock = manualClock();
  const commission = { basisPoints: 1000, fixed: 25 };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    stripe.customers.add('cus_journey');
    store = await freshStore(kind);
    app = await testApp(store, { paymentProvider: providerName, commissionBps: commission.basisPoints, commissionFixed: commission.fixed, publicUrl: 'https://refer.example' }, clock);
    const provider = providerName === 'stripe' ? stripeProvider({ secretKey: stripe.secretKey, apiUrl: stripe.url, maxNetworkRetries: 0 }) : manualProvider();
    jobs = createJobs({
      store, clock, provider, commission, intervalMs: 3_600_000,
      send: { timeoutMs: 1000, allowPrivate: true, userAgent: 'test' },
      onError: (job, error) => { throw new Error(`${job} failed: ${String(error)}`); },
    });
    partner = await newPartner(store, { now: clock.now() });
  });
  afterAll(async () => {
    await jobs.stop();
    await app.close();
    await store.cleanup();
    await stripe.close();
  });

  const get = async <T>(url: string): Promise<T> => {
    const response = await call(app, partner, 'GET', url);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  const rewards = async (referralId: string) => (await get<{ rewards: Reward[] }>(`/api/v1/partners/rewards?referralId=${referralId}`)).rewards
    .sort((a, b) => a.beneficiary.localeCompare(b.beneficiary)).reverse();

  it('funds after approval and the confirmation period, then claws back a partial refund', async () => {
    await call(app, partner, 'PATCH', PROGRAM, { rewards: {
      referrerReward: { type: 'percentage', basisPoints: 1000, maxAmount: 2000 }, friendReward: { type: 'fixed', amount: 500 }, confirmationPeriodDays: 14, autoApprove: false,
    } });
    if (providerName === 'stripe') await call(app, partner, 'PATCH', '/api/v1/partners/billing', { stripeCustomerId: 'cus_journey', stripePaymentMethodId: 'pm_card_visa' });
    const referrer = (await call(app, partner, 'POST', '/api/v1/partners/referrers', { referrerIdentifier: 'cust_ana', email: 'ana@example.com' })).json();
    expect(referrer.shareUrl).toBe(`https://refer.example/r/${referrer.referralCode}`);

    // Convert: 129.99 € earns the referrer 10 % (13.00 €) and the friend 5.00 €, awaiting approval.
    const created = (await call(app, partner, 'POST', REFERRALS, { referrerIdentifier: 'cust_ana', friendEmail: 'ben@example.com', friendName: 'Ben' })).json();
    expect((await call(app, partner, 'POST', `${REFERRALS}/${created.referralId}/convert`, { conversionValue: 12999, externalTransactionId: 'order_1' })).statusCode).toBe(201);
    expect((await rewards(created.referralId)).map((r) => [r.beneficiary, r.status, r.amount])).toEqual([['referrer', 'awaiting_approval', 1300], ['friend', 'awaiting_approval', 500]]);

    // Approve; nothing is funded before the confirmation period is over.
    expect((await call(app, partner, 'POST', `${REFERRALS}/${created.referralId}/approve`)).statusCode).toBe(200);
    clock.advance(13 * DAY_MS);
    await jobs.runOnce();
    expect((await rewards(created.referralId)).map((r) => r.status)).toEqual(['approved', 'approved']);

    // Time passes: funded, reward plus commission charged (10 % + 0.25 € each: 1.55 € and 0.75 €).
    clock.advance(DAY_MS);
    await jobs.runOnce();
    expect((await rewards(created.referralId)).map((r) => [r.status, r.amount, r.commission])).toEqual([['funded', 1300, 155], ['funded', 500, 75]]);
    expect((await get<{ walletBalance: number }>('/api/v1/partners/referrers/cust_ana')).walletBalance).toBe(1300);
    const charged = 1300 + 155 + 500 + 75;
    const paid = providerName === 'stripe' ? charged : 0;
    expect((await get<{ balance: number }>('/api/v1/partners/billing')).balance).toBe(paid - charged);
    if (providerName === 'stripe') expect(stripe.intents.map((i) => i.amount).sort((a, b) => a - b)).toEqual([575, 1455]);

    // A third of the order is refunded: a third of each reward, and of its commission, comes back to the partner.
    const refund = await call(app, partner, 'POST', `${REFERRALS}/${created.referralId}/refunds`, { amount: 4333, idempotencyKey: 'refund_1', reason: 'One item returned' });
    expect(refund.statusCode, refund.body).toBe(201);
    expect((await rewards(created.referralId)).map((r) => [r.status, r.amount, r.clawedBack, r.commission])).toEqual([['funded', 867, 433, 112], ['funded', 333, 167, 58]]);
    expect((await get<{ walletBalance: number }>('/api/v1/partners/referrers/cust_ana')).walletBalance).toBe(867);
    const credited = 433 + (155 - 112) + 167 + (75 - 58);
    expect((await get<{ balance: number }>('/api/v1/partners/billing')).balance).toBe(paid - charged + credited);
    await jobs.runOnce();
    expect((await get<{ balance: number }>('/api/v1/partners/billing')).balance).toBe(paid - charged + credited);
  });
});

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Reward } from '../../contract/rewards.ts';
import { manualClock } from '../domain/clock.ts';
import { cashAccount } from '../domain/ledger/accounts.ts';
import type { ChargeRequest, PaymentProvider } from '../payments/provider.ts';
import { stripeProvider } from '../payments/stripe.ts';
import { accountBalance } from '../store/ledger.ts';
import { call, expectError, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { startFakeStripe, type FakeStripe } from '../test/fake-stripe.ts';
import { balances, convertedReferral, DAY_MS, referrerIdOf, rewardingPartner, rewardsOf } from '../test/money.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';
import { checkPendingPayments } from './check-payments.ts';
import { fundRewards } from './fund-rewards.ts';

const HOUR_MS = 3_600_000;

describe.each(STORE_KINDS)('funding through Stripe on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let stripe: FakeStripe;
  const clock = manualClock();
  const commission = { basisPoints: 1000, fixed: 25 };
  const provider = () => stripeProvider({ secretKey: stripe.secretKey, apiUrl: stripe.url, maxNetworkRetries: 0 });
  const fund = () => fundRewards({ store, clock, provider: provider(), commission });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    stripe.customers.add('cus_shop');
    store = await freshStore(kind);
    app = await testApp(store, { paymentProvider: 'stripe', commissionBps: commission.basisPoints, commissionFixed: commission.fixed }, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
    await stripe.close();
  });

  /** A partner paying 10 € per conversion, auto-approved, with no confirmation period, and this payment method. */
  const stripePartner = async (paymentMethod: string | null = 'pm_card_visa'): Promise<TestPartner> => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true, confirmationPeriodDays: 0 }, clock.now());
    const billing = await call(app, partner, 'PATCH', '/api/v1/partners/billing', { stripeCustomerId: 'cus_shop', stripePaymentMethodId: paymentMethod });
    expect(billing.statusCode, billing.body).toBe(200);
    return partner;
  };
  const reward = async (partner: TestPartner, referralId: string): Promise<Reward> => (await rewardsOf(app, partner, referralId))[0]!;

  it('charges reward plus commission to the saved payment method and credits the wallet', async () => {
    const partner = await stripePartner();
    const { referralId, referrerIdentifier } = await convertedReferral(app, partner, 5000);
    const cashBefore = await accountBalance(store.db, cashAccount('stripe'));
    expect(await fund()).toMatchObject({ funded: 1, failed: 0 });
    expect(await reward(partner, referralId)).toMatchObject({ status: 'funded', amount: 1000, commission: 125, fundedAt: clock.now() });
    expect(stripe.intents.at(-1)).toMatchObject({ amount: 1125, currency: 'eur', customer: 'cus_shop', offSession: true, confirm: true, metadata: { offertown_referral_id: referralId } });
    const referrerId = await referrerIdOf(store, partner.programId, referrerIdentifier);
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: 0 });
    expect(await accountBalance(store.db, cashAccount('stripe')) - cashBefore).toBe(-1125);
    expect((await call(app, partner, 'GET', '/api/v1/partners/billing')).json())
      .toEqual({ provider: 'stripe', stripeCustomerId: 'cus_shop', stripePaymentMethodId: 'pm_card_visa', balance: 0, commission });
  });

  it('retries a declined charge after 1 h, 6 h and a day with new keys, then marks it failed with the reason until the partner updates billing', async () => {
    const partner = await stripePartner('pm_card_chargeDeclinedInsufficientFunds');
    const { referralId } = await convertedReferral(app, partner, 5000);
    const keys: string[] = [];
    for (const wait of [0, HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS]) {
      clock.advance(wait - 1);
      await fund();
      clock.advance(1);
      expect((await fund()).failed).toBe(1);
      keys.push(stripe.intents.at(-1)!.idempotencyKey!);
    }
    expect(new Set(keys).size).toBe(4);
    expect(await reward(partner, referralId)).toMatchObject({
      status: 'funding_failed',
      fundingError: { code: 'insufficient_funds', message: 'Your card has insufficient funds.', attempts: 4, nextAttemptAt: null },
    });
    const failed = await call(app, partner, 'GET', '/api/v1/partners/rewards?status=funding_failed');
    expect(failed.json().rewards.map((r: Reward) => r.referralId)).toEqual([referralId]);
    // The three retries are quiet; giving up is announced once, with the reason.
    const events = (await call(app, partner, 'GET', '/api/v1/partners/events?type=reward.funding_failed')).json().events;
    expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ referralId, status: 'funding_failed', fundingError: expect.objectContaining({ code: 'insufficient_funds' }) }) })]);
    clock.advance(30 * DAY_MS);
    expect((await fund()).funded).toBe(0);

    await call(app, partner, 'PATCH', '/api/v1/partners/billing', { stripePaymentMethodId: 'pm_card_visa' });
    expect((await fund()).funded).toBe(1);
    expect(await reward(partner, referralId)).toMatchObject({ status: 'funded', fundingError: null });
  });

  it('gives up at once on what only the partner can fix, and says why', async () => {
    const needsAuth = await stripePartner('pm_card_authenticationRequired');
    const first = await convertedReferral(app, needsAuth, 5000);
    const noCard = await stripePartner(null);
    const second = await convertedReferral(app, noCard, 5000);
    await fund();
    expect(await reward(needsAuth, first.referralId)).toMatchObject({ status: 'funding_failed', fundingError: { code: 'authentication_required', attempts: 1 } });
    expect(await reward(noCard, second.referralId)).toMatchObject({ status: 'funding_failed', fundingError: { code: 'no_payment_method', attempts: 1 } });
  });

  it('repeats the same charge after a crash between charging and recording, and funds once', async () => {
    const partner = await stripePartner();
    const { referralId } = await convertedReferral(app, partner, 5000);
    // A process charges the reward, then dies before recording it: its provider call never returns.
    let charged: ChargeRequest | undefined;
    const dying: PaymentProvider = { ...provider(), charge: async (request) => {
      await provider().charge(request);
      charged = request;
      return new Promise<never>(() => {});
    } };
    void fundRewards({ store, clock, provider: dying, commission, leaseMs: 60_000 });
    await vi.waitFor(() => expect(charged).toBeDefined());
    expect(charged).toMatchObject({ amount: 1125, metadata: { offertown_referral_id: referralId } });
    const charges = () => stripe.intents.filter((i) => i.idempotencyKey === charged!.idempotencyKey).length;
    expect(charges()).toBe(1);
    // A partner can no longer reject it; a refund still applies, when the charge is recorded.
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${referralId}/reject`), 409, 'REWARD_CONFLICT');
    await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 2500, idempotencyKey: 'half' });

    expect((await fund()).funded).toBe(0); // still leased to the dead process
    clock.advance(60_001);
    expect((await fund()).funded).toBe(1);
    expect(charges()).toBe(1);
    expect(stripe.requests.filter((r) => r.idempotencyKey === charged!.idempotencyKey)).toHaveLength(2);
    expect(await reward(partner, referralId)).toMatchObject({ status: 'funded', amount: 500, clawedBack: 500, commission: 75 });
    // Charged 1125; 500 of reward and 50 of commission came back as credit.
    expect((await balances(store, partner.partnerId)).partner).toBe(550);
  });

  it('funds on a bank debit still processing, and when it settles, nothing more happens', async () => {
    const partner = await stripePartner('pm_sepa_debit_succeeds');
    const { referralId, referrerIdentifier } = await convertedReferral(app, partner, 5000);
    const referrerId = await referrerIdOf(store, partner.programId, referrerIdentifier);
    expect(await fund()).toMatchObject({ funded: 1 });
    expect(await reward(partner, referralId)).toMatchObject({ status: 'funded', fundingError: null });
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: 0 });

    const check = () => checkPendingPayments({ store, clock, provider: provider() });
    expect(await check()).toEqual({ settled: 0, failed: 0, pending: 0 }); // not due yet: looked up hourly
    clock.advance(HOUR_MS);
    expect(await check()).toEqual({ settled: 0, failed: 0, pending: 1 });
    stripe.settleDebits();
    clock.advance(HOUR_MS);
    expect(await check()).toEqual({ settled: 1, failed: 0, pending: 0 });
    clock.advance(HOUR_MS);
    expect(await check()).toEqual({ settled: 0, failed: 0, pending: 0 });
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: 0 });
  });

  it('takes a failed bank debit back from the partner, who then owes it and is told, once', async () => {
    const partner = await stripePartner('pm_sepa_debit_fails');
    const { referralId, referrerIdentifier } = await convertedReferral(app, partner, 5000);
    const referrerId = await referrerIdOf(store, partner.programId, referrerIdentifier);
    const cashBefore = await accountBalance(store.db, cashAccount('stripe'));
    await fund();
    stripe.settleDebits();
    clock.advance(HOUR_MS);
    // Two processes look at once: the failure is recorded by one of them.
    const runs = await Promise.all([1, 2].map(() => checkPendingPayments({ store, clock, provider: provider() })));
    expect(runs.reduce((n, r) => n + r.failed, 0)).toBe(1);

    // Alice keeps her reward; the partner owes reward plus commission; the cash never arrived.
    expect(await balances(store, partner.partnerId, referrerId)).toMatchObject({ wallet: 1000, partner: -1125 });
    expect(await accountBalance(store.db, cashAccount('stripe'))).toBe(cashBefore);
    expect((await call(app, partner, 'GET', '/api/v1/partners/billing')).json()).toMatchObject({ balance: -1125 });
    expect(await reward(partner, referralId)).toMatchObject({
      status: 'funded', fundingError: { code: 'insufficient_funds', message: expect.stringMatching(/^The payment failed after funding; you owe it: The bank account has insufficient funds/) },
    });
    const events = (await call(app, partner, 'GET', '/api/v1/partners/events?type=reward.payment_failed')).json().events;
    expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ referralId, status: 'funded' }) })]);
    clock.advance(HOUR_MS);
    expect(await checkPendingPayments({ store, clock, provider: provider() })).toEqual({ settled: 0, failed: 0, pending: 0 });
  });

  it('uses the partner\'s credit from clawbacks before charging the card', async () => {
    const partner = await stripePartner();
    const first = await convertedReferral(app, partner, 10000);
    await fund();
    await call(app, partner, 'POST', `${REFERRALS}/${first.referralId}/refunds`, { amount: 10000, idempotencyKey: 'all' });
    expect((await balances(store, partner.partnerId)).partner).toBe(1125);
    const second = await convertedReferral(app, partner, 10000);
    const third = await convertedReferral(app, partner, 10000);
    const before = stripe.intents.length;
    expect((await fund()).funded).toBe(2);
    expect((await reward(partner, second.referralId)).status).toBe('funded');
    expect((await reward(partner, third.referralId)).status).toBe('funded');
    // The credit paid for one reward in full; only the other reached the card.
    expect(stripe.intents.slice(before).map((i) => i.amount)).toEqual([1125]);
    expect((await balances(store, partner.partnerId)).partner).toBe(0);
  });
});

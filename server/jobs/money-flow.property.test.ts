/**
 * Property-based tests of the money flow: random sequences of convert,
 * approve, reject, refund, dispute, mature (time passes) and fund, through
 * the partner API and the jobs, against the real database. After every step
 * the ledger must balance, no reward be funded twice, no clawback exceed what
 * was paid, and every wallet equal the sum of its entries.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramRewards, RewardRule } from '../../contract/rewards.ts';
import { manualClock } from '../domain/clock.ts';
import { COMMISSION_ACCOUNT, partnerAccount, walletAccount } from '../domain/ledger/accounts.ts';
import { calculateClawback } from '../domain/rewards/calculate-clawback.ts';
import { calculateCommission, type CommissionRate } from '../domain/rewards/calculate-commission.ts';
import { manualProvider } from '../payments/manual.ts';
import type { PaymentProvider } from '../payments/provider.ts';
import { stripeProvider } from '../payments/stripe.ts';
import { call, createdReferralId, newPartner, PROGRAM, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { startFakeStripe, type FakeStripe } from '../test/fake-stripe.ts';
import { DAY_MS } from '../test/money.ts';
import { freshStore, type TestStore } from '../test/stores.ts';
import { fundRewards } from './fund-rewards.ts';

type Action =
  | { kind: 'convert'; referrer: number; value: number | null }
  | { kind: 'approve' | 'reject' | 'dispute'; pick: number }
  | { kind: 'refund'; pick: number; percent: number }
  | { kind: 'mature'; days: number }
  | { kind: 'fund' }
  | { kind: 'card'; ok: boolean };

const rule: fc.Arbitrary<RewardRule | null> = fc.oneof(
  fc.constant(null),
  fc.record({ type: fc.constant('fixed' as const), amount: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ type: fc.constant('percentage' as const), basisPoints: fc.integer({ min: 1, max: 10_000 }), maxAmount: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: null }) }),
);
const settings: fc.Arbitrary<ProgramRewards> = fc.record({
  referrerReward: rule, friendReward: rule, confirmationPeriodDays: fc.integer({ min: 0, max: 30 }), autoApprove: fc.boolean(),
});
const commission: fc.Arbitrary<CommissionRate> = fc.record({ basisPoints: fc.integer({ min: 0, max: 3000 }), fixed: fc.integer({ min: 0, max: 100 }) });
const action = (withCard: boolean): fc.Arbitrary<Action> => fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('convert' as const), referrer: fc.nat(2), value: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null, freq: 8 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('approve' as const), pick: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constantFrom('reject' as const, 'dispute' as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), percent: fc.integer({ min: 0, max: 100 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('mature' as const), days: fc.integer({ min: 0, max: 40 }) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'fund' as const }), weight: 3 },
  ...(withCard ? [{ arbitrary: fc.record({ kind: fc.constant('card' as const), ok: fc.boolean() }), weight: 1 }] : []),
);

interface Conversion {
  referralId: string;
  value: number;
  refunded: number;
  /** Refunds and disputes reported. */
  reports: number;
  disputed: boolean;
}

async function run(store: TestStore, app: FastifyInstance, clock: ReturnType<typeof manualClock>, provider: PaymentProvider,
  rewards: ProgramRewards, rate: CommissionRate, actions: Action[], stripe?: FakeStripe): Promise<void> {
  const partner: TestPartner = await newPartner(store, { now: clock.now() });
  expect((await call(app, partner, 'PATCH', PROGRAM, { rewards })).statusCode).toBe(200);
  if (stripe) await call(app, partner, 'PATCH', '/api/v1/partners/billing', { stripeCustomerId: 'cus_prop', stripePaymentMethodId: 'pm_card_visa' });
  const conversions: Conversion[] = [];
  let order = 0;

  for (const step of actions) {
    const target = 'pick' in step && conversions.length ? conversions[step.pick % conversions.length]! : undefined;
    switch (step.kind) {
      case 'convert': {
        const id = await createdReferralId(app, partner, { referrerIdentifier: `prop_${step.referrer}`, friendEmail: `p${order++}_${partner.partnerId}@example.com` });
        const response = await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: `t${order}`, ...(step.value !== null && { conversionValue: step.value }) });
        expect(response.statusCode, response.body).toBe(201);
        conversions.push({ referralId: id, value: step.value ?? 0, refunded: 0, reports: 0, disputed: false });
        break;
      }
      case 'approve':
      case 'reject':
        if (target) expect([200, 409]).toContain((await call(app, partner, 'POST', `${REFERRALS}/${target.referralId}/${step.kind}`)).statusCode);
        break;
      case 'refund':
      case 'dispute':
        if (target) {
          const amount = step.kind === 'refund' ? Math.floor(((target.value - target.refunded) * step.percent) / 100) : 0;
          const response = await call(app, partner, 'POST', `${REFERRALS}/${target.referralId}/refunds`, { amount, idempotencyKey: `k${order++}`, dispute: step.kind === 'dispute' });
          expect(response.statusCode, response.body).toBe(201);
          target.refunded += amount;
          target.reports++;
          target.disputed ||= step.kind === 'dispute';
        }
        break;
      case 'mature':
        clock.advance(step.days * DAY_MS);
        break;
      case 'fund':
        await fundRewards({ store, clock, provider, commission: rate });
        break;
      case 'card':
        await call(app, partner, 'PATCH', '/api/v1/partners/billing', { stripePaymentMethodId: step.ok ? 'pm_card_visa' : 'pm_card_chargeDeclinedInsufficientFunds' });
        break;
    }
    await checkInvariants(store, app, partner, conversions, rate);
  }
}

async function checkInvariants(store: TestStore, app: FastifyInstance, partner: TestPartner, conversions: Conversion[], rate: CommissionRate): Promise<void> {
  const entries = await store.db.selectFrom('ledger_entries').selectAll().execute();
  const sum = (list: typeof entries) => list.reduce((total, e) => total + e.amount, 0);
  // The ledger balances, as a whole and movement by movement.
  expect(sum(entries)).toBe(0);
  const movements = new Map<string, number>();
  for (const e of entries) movements.set(e.movement_id, (movements.get(e.movement_id) ?? 0) + e.amount);
  for (const total of movements.values()) expect(total).toBe(0);

  const rewards = await store.db.selectFrom('rewards').selectAll().where('partner_id', '=', partner.partnerId).execute();
  const mine = entries.filter((e) => e.partner_id === partner.partnerId);
  let expectedPartner = 0;
  let expectedCommission = 0;
  for (const reward of rewards) {
    const own = mine.filter((e) => e.reward_id === reward.id);
    const fundings = new Set(own.filter((e) => e.kind === 'funding').map((e) => e.movement_id));
    // No reward is funded twice; a funded one exactly once.
    expect(fundings.size).toBe(reward.funded_at === null ? 0 : 1);
    if (reward.status === 'rejected') expect(reward.funded_at).toBeNull();
    const standing = reward.original_amount - reward.clawed_back;
    // Clawbacks never exceed what was paid: the wallet keeps exactly what stands, never less than nothing.
    expect(standing).toBeGreaterThanOrEqual(0);
    const paidToWallet = sum(own.filter((e) => e.account === reward.wallet));
    expect(paidToWallet).toBe(reward.funded_at === null ? 0 : standing);
    // Refunds claw back in proportion, on the running total; a dispute voids.
    const conversion = conversions.find((c) => c.referralId === reward.referral_id)!;
    if (reward.status !== 'rejected') {
      const clawback = calculateClawback({ reward: reward.original_amount, conversionValue: conversion.value, refundedTotal: conversion.refunded, voided: conversion.disputed });
      expect(reward.clawed_back).toBe(conversion.reports === 0 ? 0 : clawback);
    }
    if (reward.funded_at !== null) {
      const owed = standing + calculateCommission(standing, { basisPoints: reward.commission_bps!, fixed: reward.commission_fixed! });
      expectedPartner -= owed;
      expectedCommission += calculateCommission(standing, { basisPoints: reward.commission_bps!, fixed: reward.commission_fixed! });
      expect(reward.commission_bps).toBe(rate.basisPoints);
    }
  }
  const payments = sum(mine.filter((e) => (e.kind === 'payment' || e.kind === 'settlement') && e.account === partnerAccount(partner.partnerId)));
  expect(sum(mine.filter((e) => e.account === partnerAccount(partner.partnerId)))).toBe(expectedPartner + payments);
  expect(sum(mine.filter((e) => e.account === COMMISSION_ACCOUNT))).toBe(expectedCommission);

  // Every wallet the API shows is the sum of its entries.
  const referrers = (await call(app, partner, 'GET', '/api/v1/partners/referrers?pageSize=100')).json<{ referrers: Array<{ referrerIdentifier: string; walletBalance: number }> }>().referrers;
  for (const shown of referrers) {
    const { id } = await store.db.selectFrom('referrers').select('id').where('program_id', '=', partner.programId).where('identifier', '=', shown.referrerIdentifier).executeTakeFirstOrThrow();
    expect(shown.walletBalance).toBe(sum(entries.filter((e) => e.account === walletAccount(id))));
  }
}

describe('the money flow, over random sequences of actions', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let stripe: FakeStripe;
  const clock = manualClock();
  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await testApp(store, {}, clock);
    stripe = await startFakeStripe();
    stripe.customers.add('cus_prop');
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
    await stripe.close();
  });

  it('keeps the ledger balanced with the manual provider', async () => {
    await fc.assert(fc.asyncProperty(settings, commission, fc.array(action(false), { minLength: 10, maxLength: 40 }),
      (rewards, rate, actions) => run(store, app, clock, manualProvider(), rewards, rate, actions)), { numRuns: 40 });
  });

  it('keeps the ledger balanced when Stripe charges, declines and credit is used first', async () => {
    const provider = stripeProvider({ secretKey: stripe.secretKey, apiUrl: stripe.url, maxNetworkRetries: 0 });
    await fc.assert(fc.asyncProperty(settings, commission, fc.array(action(true), { minLength: 10, maxLength: 40 }),
      (rewards, rate, actions) => run(store, app, clock, provider, rewards, rate, actions, stripe)), { numRuns: 25 });
  });
});

describe('the money flow on PostgreSQL', () => {
  it('keeps the ledger balanced there too', async () => {
    const store = await freshStore('postgres');
    const clock = manualClock();
    const app = await testApp(store, {}, clock);
    await fc.assert(fc.asyncProperty(settings, commission, fc.array(action(false), { minLength: 5, maxLength: 20 }),
      (rewards, rate, actions) => run(store, app, clock, manualProvider(), rewards, rate, actions)), { numRuns: 10 });
    await app.close();
    await store.cleanup();
  });
});

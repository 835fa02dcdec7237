import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../test/fake-stripe.ts';
import type { ChargeRequest } from './provider.ts';
import { stripeProvider } from './stripe.ts';

describe('the Stripe provider, through the official SDK', () => {
  let stripe: FakeStripe;
  const request = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({
    partnerId: 'prt_1', amount: 1125, currency: 'eur', idempotencyKey: `key_${Math.random()}`, description: 'Offertown reward rwd_1',
    metadata: { offertown_reward_id: 'rwd_1' }, billing: { stripeCustomerId: 'cus_shop', stripePaymentMethodId: 'pm_card_visa' }, ...overrides,
  });
  beforeAll(async () => {
    stripe = await startFakeStripe();
    stripe.customers.add('cus_shop');
  });
  afterAll(() => stripe.close());
  const provider = () => stripeProvider({ secretKey: stripe.secretKey, apiUrl: stripe.url, maxNetworkRetries: 2 });

  it('charges the saved payment method off-session with a confirmed PaymentIntent and the idempotency key', async () => {
    const result = await provider().charge(request({ idempotencyKey: 'offertown_rwd_1_0' }));
    expect(result).toEqual({ ok: true, paymentId: expect.stringMatching(/^pi_/) });
    expect(stripe.intents.at(-1)).toMatchObject({
      amount: 1125, currency: 'eur', customer: 'cus_shop', paymentMethod: 'pm_card_visa', offSession: true, confirm: true,
      metadata: { offertown_reward_id: 'rwd_1' }, idempotencyKey: 'offertown_rwd_1_0', status: 'succeeded',
    });
  });

  it('returns the first PaymentIntent when a request is repeated with its key, so nothing is charged twice', async () => {
    const before = stripe.intents.length;
    const charge = request({ idempotencyKey: 'offertown_rwd_2_0' });
    const first = await provider().charge(charge);
    const again = await provider().charge(charge);
    expect(again).toEqual(first);
    expect(stripe.intents.length).toBe(before + 1);
  });

  it('survives a lost answer: the SDK retries with the same key and gets the charge that was made', async () => {
    const before = stripe.intents.length;
    stripe.dropNextResponse();
    const result = await provider().charge(request({ idempotencyKey: 'offertown_rwd_3_0' }));
    expect(result.ok).toBe(true);
    expect(stripe.intents.length).toBe(before + 1);
    expect(stripe.requests.filter((r) => r.idempotencyKey === 'offertown_rwd_3_0')).toEqual([
      { idempotencyKey: 'offertown_rwd_3_0', replayed: false }, { idempotencyKey: 'offertown_rwd_3_0', replayed: true },
    ]);
  });

  it('reports a decline for insufficient funds as worth retrying', async () => {
    expect(await provider().charge(request({ billing: { stripeCustomerId: 'cus_shop', stripePaymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } })))
      .toEqual({ ok: false, code: 'insufficient_funds', message: 'Your card has insufficient funds.', retryable: true });
  });

  it('reports what only the partner can fix as final: authentication, an unknown customer, no payment method', async () => {
    expect(await provider().charge(request({ billing: { stripeCustomerId: 'cus_shop', stripePaymentMethodId: 'pm_card_authenticationRequired' } })))
      .toMatchObject({ ok: false, code: 'authentication_required', retryable: false });
    expect(await provider().charge(request({ billing: { stripeCustomerId: 'cus_gone', stripePaymentMethodId: 'pm_card_visa' } })))
      .toMatchObject({ ok: false, code: 'resource_missing', message: 'No such customer: \'cus_gone\'', retryable: false });
    expect(await provider().charge(request({ billing: { stripeCustomerId: null, stripePaymentMethodId: null } })))
      .toMatchObject({ ok: false, code: 'no_payment_method', retryable: false });
  });

  it('reports Stripe being down as worth retrying', async () => {
    stripe.failNext(5);
    const result = await stripeProvider({ secretKey: stripe.secretKey, apiUrl: stripe.url, maxNetworkRetries: 0 }).charge(request());
    stripe.failNext(0);
    expect(result).toMatchObject({ ok: false, retryable: true });
  });
});

/**
 * Several server processes on one PostgreSQL: each runs the jobs on its own
 * connection pool, at the same time. Every reward is charged and funded
 * once, and every event reaches the endpoint once.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { manualClock } from '../domain/clock.ts';
import { stripeProvider } from '../payments/stripe.ts';
import type { Store } from '../store/connect.ts';
import { openStore } from '../store/open.ts';
import { call, REFERRALS, testApp } from '../test/api-client.ts';
import { startFakeStripe, type FakeStripe } from '../test/fake-stripe.ts';
import { rewardingPartner } from '../test/money.ts';
import { freshStore, type TestStore } from '../test/stores.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';
import { createJobs } from './run-jobs.ts';

let store: TestStore;
let others: Store[];
let app: FastifyInstance;
let stripe: FakeStripe;
let receiver: WebhookReceiver;
const clock = manualClock();

beforeAll(async () => {
  store = await freshStore('postgres');
  others = await Promise.all([1, 2].map(() => openStore({ databaseUrl: store.config.databaseUrl, sqliteFile: '' })));
  app = await testApp(store, { webhookAllowPrivate: true }, clock);
  stripe = await startFakeStripe();
  stripe.customers.add('cus_many');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await app.close();
  await Promise.all(others.map((s) => s.db.destroy()));
  await store.cleanup();
  await stripe.close();
  await receiver.close();
});

it('three processes share the work: each reward funded once, each event delivered once', async () => {
  const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true, confirmationPeriodDays: 0 }, clock.now());
  await call(app, partner, 'PATCH', '/api/v1/partners/billing', { stripeCustomerId: 'cus_many', stripePaymentMethodId: 'pm_card_visa' });
  receiver.secret = (await call(app, partner, 'POST', '/api/v1/partners/webhooks', { url: receiver.url })).json().secret;
  const conversions = 30;
  for (let i = 0; i < conversions; i++) {
    const id = (await call(app, partner, 'POST', REFERRALS, { referrerIdentifier: `c${i % 5}`, friendEmail: `m${i}@example.com`, friendName: 'M' })).json().referralId;
    await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 5000, externalTransactionId: `o${i}` });
  }

  const processes = [store, ...others].map((s) => createJobs({
    store: s, clock, provider: stripeProvider({ secretKey: stripe.secretKey, apiUrl: stripe.url, maxNetworkRetries: 0 }),
    commission: { basisPoints: 500, fixed: 0 }, intervalMs: 3_600_000,
    send: { timeoutMs: 5000, allowPrivate: true, userAgent: 'test' },
    onError: (job, error) => { throw new Error(`${job}: ${String(error)}`); },
  }));
  for (let round = 0; round < 4; round++) await Promise.all(processes.map((p) => p.runOnce()));

  const rewards = await store.db.selectFrom('rewards').select(['id', 'status']).where('partner_id', '=', partner.partnerId).execute();
  expect(rewards.map((r) => r.status)).toEqual(rewards.map(() => 'funded'));
  const fundings = await store.db.selectFrom('ledger_entries').select('reward_id').distinct().select('movement_id').where('kind', '=', 'funding').where('partner_id', '=', partner.partnerId).execute();
  expect(fundings).toHaveLength(conversions);
  expect(stripe.intents).toHaveLength(conversions);
  expect(new Set(stripe.intents.map((i) => i.metadata.offertown_reward_id)).size).toBe(conversions);

  const events = await store.db.selectFrom('events').select('id').where('program_id', '=', partner.programId).execute();
  expect(events).toHaveLength(conversions * 4);
  expect(receiver.requests.map((r) => r.id).sort()).toEqual(events.map((e) => e.id).sort());
  expect(receiver.rejected).toBe(0);
});

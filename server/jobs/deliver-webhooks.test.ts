import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../contract/webhooks.ts';
import { manualClock } from '../domain/clock.ts';
import { manualProvider } from '../payments/manual.ts';
import { call, expectError, fieldNames, newPartner, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { convertedReferral, DAY_MS, rewardingPartner } from '../test/money.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';
import { deliverWebhooks } from './deliver-webhooks.ts';
import { fundRewards } from './fund-rewards.ts';

const WEBHOOKS = '/api/v1/partners/webhooks';

describe.each(STORE_KINDS)('webhooks on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let receiver: WebhookReceiver;
  const clock = manualClock();
  const deliver = () => deliverWebhooks({ store, clock, send: { timeoutMs: 2000, allowPrivate: true, userAgent: 'test' } });
  const fund = () => fundRewards({ store, clock, provider: manualProvider(), commission: { basisPoints: 0, fixed: 0 } });

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, { webhookAllowPrivate: true }, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(() => receiver.close());

  const register = async (partner: TestPartner, body: Record<string, unknown> = {}) => {
    const response = await call(app, partner, 'POST', WEBHOOKS, { url: receiver.url, ...body });
    expect(response.statusCode, response.body).toBe(201);
    receiver.secret = response.json().secret;
    return response.json<{ endpointId: string; secret: string }>();
  };
  const deliveries = async (partner: TestPartner, endpointId: string) =>
    (await call(app, partner, 'GET', `${WEBHOOKS}/${endpointId}/deliveries`)).json<{ deliveries: WebhookDelivery[] }>().deliveries;

  it('sends every event of the money flow once, signed, with the data the API shows', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 1000 }, confirmationPeriodDays: 1 }, clock.now());
    const { endpointId, secret } = await register(partner);
    expect(secret).toMatch(/^whsec_/);
    const { referralId, rewards: [reward] } = await convertedReferral(app, partner, 10000);
    await call(app, partner, 'POST', `${REFERRALS}/${referralId}/approve`);
    clock.advance(DAY_MS);
    await fund();
    await call(app, partner, 'POST', `${REFERRALS}/${referralId}/refunds`, { amount: 2500, idempotencyKey: 'r1' });
    await deliver();
    await deliver();

    expect(receiver.rejected).toBe(0);
    const events = (await call(app, partner, 'GET', '/api/v1/partners/events')).json().events;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'referral.created', 'referral.converted', 'reward.approved', 'reward.funded', 'reward.clawed_back',
    ]);
    // Sent in parallel, so they may arrive in any order.
    const byType = (type: string) => receiver.requests.find((r) => r.type === type)!;
    expect(receiver.requests.map((r) => r.id).sort()).toEqual(events.map((e: { eventId: string }) => e.eventId).sort());
    const [created, converted, approved, funded, clawedBack] = ['referral.created', 'referral.converted', 'reward.approved', 'reward.funded', 'reward.clawed_back'].map(byType);
    const referral = (await call(app, partner, 'GET', `${REFERRALS}/${referralId}`)).json();
    expect(converted!.data).toEqual(referral);
    expect(created!.data).toMatchObject({ referralId, status: 'pending' });
    expect(approved!.data).toMatchObject({ rewardId: reward!.rewardId, status: 'approved' });
    expect(funded!.data).toMatchObject({ rewardId: reward!.rewardId, status: 'funded', amount: 1000 });
    expect(clawedBack!.data).toMatchObject({ amount: 750, clawback: { amount: 250, beforeFunding: false, dispute: false } });
    expect(receiver.requests.map((r) => r.timestamp)).toEqual(receiver.requests.map(() => Math.floor(clock.now() / 1000)));
    expect((await deliveries(partner, endpointId)).every((d) => d.status === 'succeeded' && d.log.length === 1)).toBe(true);
  });

  it('retries what was not acknowledged with exponential backoff, logging each attempt', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const { endpointId } = await register(partner);
    let answers = [500, 503];
    receiver.respond = () => answers.shift() ?? 200;
    await call(app, partner, 'POST', REFERRALS, { referrerIdentifier: 'c', friendEmail: 'retry@example.com', friendName: 'R' });
    const start = clock.now();
    await deliver();
    expect(await deliveries(partner, endpointId)).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, nextAttemptAt: start + 60_000 })]);
    clock.advance(59_999);
    await deliver();
    expect(receiver.requests).toHaveLength(0);
    clock.advance(1);
    await deliver();
    clock.advance(3 * 60_000);
    await deliver();
    const [delivery] = await deliveries(partner, endpointId);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, deliveredAt: clock.now(), nextAttemptAt: null });
    expect(delivery!.log.map((a) => [a.attemptedAt - start, a.statusCode])).toEqual([[0, 500], [60_000, 503], [4 * 60_000, 200]]);
    expect(receiver.requests).toHaveLength(1);
    answers = [];
  });

  it('gives up after about three days, and a replay sends it again with the same webhook-id', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const { endpointId } = await register(partner);
    receiver.respond = () => 500;
    await call(app, partner, 'POST', REFERRALS, { referrerIdentifier: 'c', friendEmail: 'down@example.com', friendName: 'D' });
    const start = clock.now();
    for (let i = 0; i < 20; i++) {
      await deliver();
      const [pending] = await deliveries(partner, endpointId);
      if (pending!.nextAttemptAt === null) break;
      clock.set(pending!.nextAttemptAt);
    }
    const [failed] = await deliveries(partner, endpointId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 10, nextAttemptAt: null });
    const span = failed!.log.at(-1)!.attemptedAt - start;
    expect(span / DAY_MS).toBeGreaterThan(2.5);
    expect(span / DAY_MS).toBeLessThan(3.5);

    receiver.respond = () => 200;
    const replay = await call(app, partner, 'POST', `${WEBHOOKS}/${endpointId}/deliveries/${failed!.deliveryId}/replay`);
    expect(replay.statusCode, replay.body).toBe(202);
    await deliver();
    expect(receiver.requests.map((r) => r.id)).toEqual([failed!.eventId]);
    expect((await deliveries(partner, endpointId))[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    expectError(await call(app, partner, 'POST', `${WEBHOOKS}/${endpointId}/deliveries/whd_nope/replay`), 404, 'NOT_FOUND');
  });

  it('sends only the subscribed types, nothing to a disabled endpoint, and nothing from before the endpoint existed', async () => {
    const partner = await rewardingPartner(app, store, { referrerReward: { type: 'fixed', amount: 100 }, autoApprove: true }, clock.now());
    await convertedReferral(app, partner, 1000);
    clock.advance(1);
    const { endpointId } = await register(partner, { eventTypes: ['reward.approved'] });
    await convertedReferral(app, partner, 1000);
    await deliver();
    expect(receiver.requests.map((r) => r.type)).toEqual(['reward.approved']);
    await call(app, partner, 'PATCH', `${WEBHOOKS}/${endpointId}`, { enabled: false });
    await convertedReferral(app, partner, 1000);
    await deliver();
    expect(receiver.requests).toHaveLength(1);
  });

  it('manages endpoints: list without secrets, show with it, change, delete', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const { endpointId, secret } = await register(partner, { description: 'CRM' });
    expect((await call(app, partner, 'GET', WEBHOOKS)).json()).toEqual({ endpoints: [expect.not.objectContaining({ secret })] });
    expect((await call(app, partner, 'GET', `${WEBHOOKS}/${endpointId}`)).json()).toMatchObject({ endpointId, secret, description: 'CRM', enabled: true, eventTypes: [] });
    const changed = await call(app, partner, 'PATCH', `${WEBHOOKS}/${endpointId}`, { url: 'https://crm.example/hooks', eventTypes: ['reward.funded'] });
    expect(changed.json()).toMatchObject({ url: 'https://crm.example/hooks', eventTypes: ['reward.funded'] });
    expectError(await call(app, await newPartner(store), 'GET', `${WEBHOOKS}/${endpointId}`), 404, 'NOT_FOUND');
    expect((await call(app, partner, 'DELETE', `${WEBHOOKS}/${endpointId}`)).statusCode).toBe(204);
    expectError(await call(app, partner, 'GET', `${WEBHOOKS}/${endpointId}`), 404, 'NOT_FOUND');
    const unknownType = expectError(await call(app, partner, 'POST', WEBHOOKS, { url: 'https://x.example', eventTypes: ['reward.paid'] }), 400, 'VALIDATION_ERROR');
    expect(fieldNames(unknownType)).toEqual(['eventTypes.0']);
  });
});

describe('webhook endpoints on private addresses', () => {
  it('are refused unless the operator allows them', async () => {
    const store = await freshStore('sqlite');
    const app = await testApp(store);
    const partner = await newPartner(store);
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.0.0.5/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest']) {
      expect(fieldNames(expectError(await call(app, partner, 'POST', WEBHOOKS, { url }), 400, 'VALIDATION_ERROR')), url).toEqual(['url']);
    }
    expect((await call(app, partner, 'POST', WEBHOOKS, { url: 'https://crm.example/hooks' })).statusCode).toBe(201);
    await app.close();
    await store.cleanup();
  });
});

/**
 * Idempotency under races: parallel identical requests, on one app or on two
 * apps sharing a database (two processes' worth of connections), produce
 * exactly one 201 and one row, since the database's unique keys decide.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/connect.ts';
import { openStore } from '../store/open.ts';
import { call, createdReferralId, newPartner, newReferralBody, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const PARALLEL = 16;

/** How many responses had each status, e.g. { 200: 15, 201: 1 }. */
const statuses = (responses: LightMyRequestResponse[]) =>
  responses.reduce<Record<number, number>>((counts, r) => ({ ...counts, [r.statusCode]: (counts[r.statusCode] ?? 0) + 1 }), {});

describe.each(STORE_KINDS)('parallel identical requests on %s', (kind) => {
  let store: TestStore;
  let secondStore: Store;
  let app: FastifyInstance;
  let secondApp: FastifyInstance;
  let partner: TestPartner;

  beforeAll(async () => {
    store = await freshStore(kind);
    // A second connection (pool) to the same database, as a second server process would have.
    secondStore = await openStore(store.config);
    app = await testApp(store);
    secondApp = await testApp(secondStore);
    partner = await newPartner(store);
  });
  afterAll(async () => {
    await Promise.all([app.close(), secondApp.close()]);
    await secondStore.db.destroy();
    await store.cleanup();
  });

  /** Sends the same request PARALLEL times at once, spread over the given apps. */
  const race = (apps: FastifyInstance[], method: 'POST', url: string, body: unknown) =>
    Promise.all(Array.from({ length: PARALLEL }, (_, i) => call(apps[i % apps.length]!, partner, method, url, body)));

  const rowsFor = (friendEmail: string) =>
    store.db.selectFrom('referrals').select('id').where('program_id', '=', partner.programId).where('friend_email_normalized', '=', friendEmail).execute();

  for (const instances of [1, 2]) {
    const label = instances === 1 ? 'on one app' : 'on two apps sharing the database';

    it(`creates exactly one referral (and referrer) for 16 identical creates ${label}`, async () => {
      const apps = [app, secondApp].slice(0, instances);
      const body = newReferralBody();
      const responses = await race(apps, 'POST', REFERRALS, body);
      expect(statuses(responses)).toEqual({ 201: 1, 200: PARALLEL - 1 });
      const bodies = responses.map((r) => r.json());
      expect(new Set(bodies.map((b) => b.referralId)).size).toBe(1);
      expect(new Set(bodies.map((b) => b.referralCode)).size).toBe(1);
      expect(bodies.filter((b) => b.idempotent === false)).toHaveLength(1);
      expect(await rowsFor(String(body.friendEmail))).toHaveLength(1);
      const referrers = await store.db.selectFrom('referrers').select('id').where('program_id', '=', partner.programId).where('identifier', '=', String(body.referrerIdentifier)).execute();
      expect(referrers).toHaveLength(1);
    });

    it(`converts exactly once for 16 identical converts ${label}`, async () => {
      const apps = [app, secondApp].slice(0, instances);
      const id = await createdReferralId(app, partner);
      const responses = await race(apps, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 4200, externalTransactionId: `race_${id}` });
      expect(statuses(responses)).toEqual({ 201: 1, 200: PARALLEL - 1 });
      const bodies = responses.map((r) => r.json());
      expect(new Set(bodies.map((b) => b.convertedAt)).size).toBe(1);
      expect(bodies.every((b) => b.conversionValue === '4200' && b.status === 'converted')).toBe(true);
      expect(bodies.filter((b) => b.idempotent === false)).toHaveLength(1);
    });

    it(`accepts one of 16 racing conversions with different transaction IDs ${label}, the rest 409`, async () => {
      const apps = [app, secondApp].slice(0, instances);
      const id = await createdReferralId(app, partner);
      const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) =>
        call(apps[i % apps.length]!, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: i, externalTransactionId: `rival_${i}_${id}` })));
      expect(statuses(responses)).toEqual({ 201: 1, 409: PARALLEL - 1 });
      const winner = responses.find((r) => r.statusCode === 201)!.json();
      const stored = (await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json();
      expect(stored.conversionValue).toBe(winner.conversionValue);
      for (const loser of responses.filter((r) => r.statusCode === 409)) expect(loser.json().error.code).toBe('DUPLICATE_CONVERSION');
    });

    it(`uses one transaction ID for one of 16 referrals converted at once ${label}`, async () => {
      const apps = [app, secondApp].slice(0, instances);
      const ids = await Promise.all(Array.from({ length: PARALLEL }, () => createdReferralId(app, partner)));
      const transaction = `shared_${ids[0]}`;
      const responses = await Promise.all(ids.map((id, i) =>
        call(apps[i % apps.length]!, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: transaction })));
      expect(statuses(responses)).toEqual({ 201: 1, 409: PARALLEL - 1 });
      const converted = await store.db.selectFrom('referrals').select('id').where('external_transaction_id', '=', transaction).execute();
      expect(converted).toHaveLength(1);
    });
  }
});

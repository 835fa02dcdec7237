import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { manualClock } from '../domain/clock.ts';
import { call, createdReferralId, expectError, newPartner, PROGRAM, REFERRALS, testApp } from '../test/api-client.ts';
import { DAY_MS } from '../test/money.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';
import { expireOverdueReferrals } from './expire-referrals.ts';

describe.each(STORE_KINDS)('the expiry job on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock();
  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, {}, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  const storedStatus = async (id: string) =>
    (await store.db.selectFrom('referrals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const expiredEvents = async (id: string) =>
    store.db.selectFrom('events').select(['type', 'created_at']).where('subject_id', '=', id).where('type', '=', 'referral.expired').execute();

  it('writes expired on open referrals past their program\'s window, once, and reports each once', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const short = await newPartner(store, { now: clock.now() });
    await call(app, short, 'PATCH', PROGRAM, { attributionWindowDays: 10 });
    const open = await createdReferralId(app, partner);
    const converted = await createdReferralId(app, partner);
    await call(app, partner, 'POST', `${REFERRALS}/${converted}/convert`, { externalTransactionId: `o_${converted}` });
    const shortLived = await createdReferralId(app, short);

    clock.advance(10 * DAY_MS + 1);
    await expireOverdueReferrals({ store, clock });
    expect([await storedStatus(open), await storedStatus(shortLived)]).toEqual(['pending', 'expired']);

    clock.advance(80 * DAY_MS);
    await expireOverdueReferrals({ store, clock });
    await expireOverdueReferrals({ store, clock });
    expect([await storedStatus(open), await storedStatus(converted)]).toEqual(['expired', 'converted']);
    expect(await expiredEvents(open)).toEqual([{ type: 'referral.expired', created_at: clock.now() }]);
    expect(await expiredEvents(shortLived)).toHaveLength(1);
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${open}/convert`, { externalTransactionId: 'late' }), 409, 'REFERRAL_EXPIRED');
    expect((await call(app, partner, 'GET', `${REFERRALS}/${open}`)).json().status).toBe('expired');
  });
});

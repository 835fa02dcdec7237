/**
 * The SQLite key-owner cache (auth.ts) must never outlive a change: a key
 * rotated or a partner approved through another connection (another process,
 * such as the CLI) applies on the next request, and so does any write in this
 * process, even one made without the store's functions.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Store } from '../store/connect.ts';
import { approvePartner, rotateApiKey } from '../store/partners.ts';
import { call, expectError, newPartner, REFERRALS, testApp } from '../test/api-client.ts';
import { freshStore, type TestStore } from '../test/stores.ts';

describe('API-key cache on SQLite', () => {
  let store: TestStore;
  let other: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    other = connect({ sqliteFile: store.config.sqliteFile, sqliteSync: 'normal' });
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await other.db.destroy();
    await store.cleanup();
  });

  it('refuses a key rotated through another connection on the next request', async () => {
    const partner = await newPartner(store);
    expect((await call(app, partner, 'GET', REFERRALS)).statusCode).toBe(200);
    expect((await call(app, partner, 'GET', REFERRALS)).statusCode).toBe(200); // now served from the cache
    const newKey = await rotateApiKey(other.db, partner.partnerId, Date.now());
    expectError(await call(app, partner, 'GET', REFERRALS), 401, 'INVALID_API_KEY');
    expect((await call(app, { headers: { 'x-api-key': newKey! } }, 'GET', REFERRALS)).statusCode).toBe(200);
  });

  it('admits a partner approved through another connection on the next request', async () => {
    const waiting = await newPartner(store, { approve: false });
    expectError(await call(app, waiting, 'GET', REFERRALS), 403, 'PARTNER_NOT_APPROVED');
    expect(await approvePartner(other.db, waiting.partnerId, Date.now())).toBe(true);
    expect((await call(app, waiting, 'GET', REFERRALS)).statusCode).toBe(200);
  });

  it('refuses a key revoked by any write in this process, not only through rotateApiKey', async () => {
    const partner = await newPartner(store);
    expect((await call(app, partner, 'GET', REFERRALS)).statusCode).toBe(200);
    await store.db.updateTable('api_keys').set({ revoked_at: Date.now() }).where('partner_id', '=', partner.partnerId).execute();
    expectError(await call(app, partner, 'GET', REFERRALS), 401, 'INVALID_API_KEY');
  });

  it('does not remember an owner read while a write was under way', async () => {
    const partner = await newPartner(store);
    // The revocation commits between the two requests' lookups; the second must see it.
    const [first] = await Promise.all([
      call(app, partner, 'GET', REFERRALS),
      store.db.updateTable('api_keys').set({ revoked_at: Date.now() }).where('partner_id', '=', partner.partnerId).execute(),
    ]);
    expect([200, 401]).toContain(first.statusCode);
    expectError(await call(app, partner, 'GET', REFERRALS), 401, 'INVALID_API_KEY');
  });
});

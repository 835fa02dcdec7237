import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';
import { createPartner } from './store/partners.ts';
import { freshStore, STORE_KINDS, type TestStore } from './test/stores.ts';

describe.each(STORE_KINDS)('smoke on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => { store = await freshStore(kind); });
  afterAll(async () => { await store.cleanup(); });

  it('creates and lists a referral', async () => {
    const app = await buildApp({ config: defaultConfig(), store });
    const { apiKey } = await createPartner(store.db, { name: 'A', approve: true }, Date.now());
    const headers = { 'x-api-key': apiKey };
    const created = await app.inject({ method: 'POST', url: '/api/v1/partners/referrals', headers, payload: { referrerIdentifier: 'c1', friendEmail: 'a@b.co', friendName: 'Ana' } });
    expect(created.statusCode).toBe(201);
    const list = await app.inject({ method: 'GET', url: '/api/v1/partners/referrals?sortBy=conversionValue&sortOrder=asc', headers });
    expect(list.json().pagination.total).toBe(1);
    const id = created.json().referralId;
    const conv = await app.inject({ method: 'POST', url: `/api/v1/partners/referrals/${id}/convert`, headers, payload: { conversionValue: 12999, externalTransactionId: 'o1' } });
    expect(conv.statusCode).toBe(201);
    expect(conv.json().conversionValue).toBe('12999');
    const docs = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(docs.json().openapi).toBe('3.1.0');
    await app.close();
  });
});

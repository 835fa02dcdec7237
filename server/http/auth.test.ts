/**
 * API-key authentication: 401 for a missing or unknown key, 403 for a partner
 * not yet approved, rotation and approval taking effect at once, and the key
 * kept secret: hashed at rest and never logged.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { defaultConfig } from '../config.ts';
import { approvePartner, rotateApiKey } from '../store/partners.ts';
import { call, createdReferralId, expectError, newPartner, newReferralBody, PROGRAM, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

/** One request of every partner API route, for a referral the caller may or may not own. */
function everyRoute(referralId: string): Array<[method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown]> {
  return [
    ['GET', REFERRALS],
    ['POST', REFERRALS, newReferralBody()],
    ['GET', `${REFERRALS}/${referralId}`],
    ['PATCH', `${REFERRALS}/${referralId}`, { metadata: {} }],
    ['POST', `${REFERRALS}/${referralId}/convert`, { externalTransactionId: 'o1' }],
    ['GET', PROGRAM],
    ['PATCH', PROGRAM, { name: 'Renamed' }],
  ];
}

describe.each(STORE_KINDS)('API-key authentication on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: TestPartner;
  let referralId: string;

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store);
    partner = await newPartner(store);
    referralId = await createdReferralId(app, partner);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('issues keys of the documented form: oft_ and 32 hex characters', () => {
    expect(partner.apiKey).toMatch(/^oft_[0-9a-f]{32}$/);
  });

  it('is 401 MISSING_API_KEY on every route without a key, whatever else is wrong with the request', async () => {
    for (const [method, url, body] of everyRoute(referralId)) {
      expectError(await call(app, null, method, url, body), 401, 'MISSING_API_KEY');
    }
    expectError(await call(app, { headers: { 'x-api-key': '' } }, 'GET', REFERRALS), 401, 'MISSING_API_KEY');
    expectError(await call(app, null, 'POST', `${REFERRALS}?partnerId=1`, { junk: true }), 401, 'MISSING_API_KEY');
    const malformed = await app.inject({ method: 'POST', url: REFERRALS, headers: { 'content-type': 'application/json' }, payload: '{' });
    expectError(malformed, 401, 'MISSING_API_KEY');
  });

  it('reads the key from X-API-Key only: a bearer token or a query parameter is no key', async () => {
    expectError(await call(app, { headers: { authorization: `Bearer ${partner.apiKey}` } }, 'GET', REFERRALS), 401, 'MISSING_API_KEY');
    expectError(await call(app, null, 'GET', `${REFERRALS}?apiKey=${partner.apiKey}`), 401, 'MISSING_API_KEY');
  });

  it('is 401 INVALID_API_KEY on every route for a key that does not resolve', async () => {
    const unknown = { headers: { 'x-api-key': `oft_${'0'.repeat(32)}` } };
    for (const [method, url, body] of everyRoute(referralId)) {
      expectError(await call(app, unknown, method, url, body), 401, 'INVALID_API_KEY');
    }
    const sameLookupOtherSecret = partner.apiKey.slice(0, 12) + (partner.apiKey.endsWith('0') ? '1' : '0').repeat(24);
    for (const key of ['nonsense', partner.apiKey.toUpperCase(), `${partner.apiKey}0`, partner.apiKey.slice(0, -1), ` ${partner.apiKey}`, sameLookupOtherSecret]) {
      expectError(await call(app, { headers: { 'x-api-key': key } }, 'GET', REFERRALS), 401, 'INVALID_API_KEY');
    }
  });

  it('stops accepting a rotated key at once, in the app already running, and accepts the new one', async () => {
    const rotating = await newPartner(store);
    const id = await createdReferralId(app, rotating);
    const newKey = await rotateApiKey(store.db, rotating.partnerId, Date.now());
    expect(newKey).toMatch(/^oft_[0-9a-f]{32}$/);
    expect(newKey).not.toBe(rotating.apiKey);
    const old = expectError(await call(app, rotating, 'GET', `${REFERRALS}/${id}`), 401, 'INVALID_API_KEY');
    expect(old.message).toMatch(/rotated/);
    const fresh = await call(app, { headers: { 'x-api-key': newKey! } }, 'GET', `${REFERRALS}/${id}`);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().referralId).toBe(id);
    expect(await rotateApiKey(store.db, 'prt_nobody', Date.now())).toBeNull();
  });

  it('is 403 PARTNER_NOT_APPROVED on every route until the partner is approved, then works at once', async () => {
    const waiting = await newPartner(store, { approve: false });
    for (const [method, url, body] of everyRoute(referralId)) {
      expectError(await call(app, waiting, method, url, body), 403, 'PARTNER_NOT_APPROVED');
    }
    expect(await approvePartner(store.db, waiting.partnerId, Date.now())).toBe(true);
    const created = await call(app, waiting, 'POST', REFERRALS, newReferralBody());
    expect(created.statusCode).toBe(201);
    expect((await call(app, waiting, 'GET', REFERRALS)).json().pagination.total).toBe(1);
    expect(await approvePartner(store.db, 'prt_nobody', Date.now())).toBe(false);
  });

  it('does not let a valid key of one partner reach another partner\'s data', async () => {
    const other = await newPartner(store);
    expectError(await call(app, other, 'GET', `${REFERRALS}/${referralId}`), 404, 'NOT_FOUND');
    expect((await call(app, other, 'GET', REFERRALS)).json().pagination.total).toBe(0);
  });

  it('stores the key only as a hash: no column of any table holds it or its secret part', async () => {
    const keys = await store.db.selectFrom('api_keys').selectAll().where('partner_id', '=', partner.partnerId).execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.hash).toBe(createHash('sha256').update(partner.apiKey).digest('hex'));
    const secret = partner.apiKey.slice(12);
    for (const table of ['partners', 'api_keys', 'programs', 'referrers', 'referrals'] as const) {
      const dump = JSON.stringify(await store.db.selectFrom(table).selectAll().execute());
      expect(dump, table).not.toContain(partner.apiKey);
      expect(dump, table).not.toContain(secret);
    }
  });
});

describe.each(STORE_KINDS)('secrets in the logs on %s', (kind) => {
  let store: TestStore;

  beforeAll(async () => { store = await freshStore(kind); });
  afterAll(async () => { await store.cleanup(); });

  it('never writes an API key to the log, on success, on errors, or on a failure of ours', async () => {
    const lines: string[] = [];
    const logStream = { write: (line: string) => void lines.push(line) };
    const app = await buildApp({ config: defaultConfig({ logLevel: 'trace', writeRateLimit: 2 }), store, logStream });
    const partner = await newPartner(store);
    const waiting = await newPartner(store, { approve: false });
    const rotated = await newPartner(store);
    await rotateApiKey(store.db, rotated.partnerId, Date.now());

    const id = await createdReferralId(app, partner);
    await call(app, partner, 'GET', `${REFERRALS}/${id}`);
    await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: 'o1', metadata: { note: 'x' } });
    await call(app, partner, 'POST', REFERRALS, { apiKey: partner.apiKey });
    await call(app, waiting, 'GET', REFERRALS);
    await call(app, rotated, 'GET', REFERRALS);
    await app.inject({ method: 'POST', url: REFERRALS, headers: { ...partner.headers, 'content-type': 'application/json' }, payload: `{"x":"${partner.apiKey}"` });
    await call(app, { headers: { authorization: `Bearer ${partner.apiKey}` } }, 'GET', REFERRALS);
    // A client that puts its key in the URL by mistake.
    await call(app, null, 'GET', `${REFERRALS}?apiKey=${partner.apiKey}`);
    await call(app, null, 'POST', `${REFERRALS}/${partner.apiKey}/convert`);
    await app.close();

    // A failure of ours (the database gone) is logged with its error, still without the key.
    const broken = await freshStore(kind);
    const brokenPartner = await newPartner(broken);
    const brokenApp = await buildApp({ config: defaultConfig({ logLevel: 'info' }), store: broken, logStream });
    await broken.db.destroy();
    expectError(await call(brokenApp, brokenPartner, 'GET', REFERRALS), 500, 'INTERNAL_ERROR');
    await brokenApp.close();
    await broken.cleanup().catch(() => {});

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('incoming request');
    expect(log).toContain('unhandled error');
    for (const key of [partner.apiKey, waiting.apiKey, rotated.apiKey, brokenPartner.apiKey]) {
      expect(log).not.toContain(key);
      expect(log).not.toContain(key.slice(12));
    }
  });
});

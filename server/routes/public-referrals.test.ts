import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateProgram } from '../store/programs.ts';
import { ensureReferrer } from '../store/referrers.ts';
import type { ReferrerRow } from '../store/schema.ts';
import { call, expectError, newPartner, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

describe.each(STORE_KINDS)('public endpoints for the tracker and the widget, on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: TestPartner;
  let alice: ReferrerRow;
  let emails = 0;
  const friend = () => `friend${++emails}@example.com`;

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, { publicRateLimit: 0 });
    partner = await newPartner(store);
    alice = await ensureReferrer(store.db, partner.programId, 'alice', Date.now(), 'Alice@Example.com');
    await updateProgram(store.db, partner.programId, { landingUrl: 'https://www.shop.example/', allowedOrigins: ['https://shop.example'] }, Date.now());
  });
  afterAll(async () => { await app.close(); await store.cleanup(); });

  const clickUrl = () => `/api/public/programs/${partner.programId}/clicks`;
  const signUpUrl = () => `/api/public/programs/${partner.programId}/referrals`;
  /** A beacon: JSON sent as text/plain, as sendBeacon does. */
  const beacon = (code: string, userAgent = BROWSER) =>
    app.inject({ method: 'POST', url: clickUrl(), payload: JSON.stringify({ code }), headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': userAgent } });
  const signUp = (body: Record<string, unknown>, userAgent = BROWSER) =>
    app.inject({ method: 'POST', url: signUpUrl(), payload: body, headers: { 'user-agent': userAgent } });
  const referral = async (id: string) => (await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json();

  it('records a beaconed click as a clicked referral, once per visitor and hour', async () => {
    const ua = `${BROWSER} once`;
    const first = await beacon(alice.code, ua);
    expect(first.statusCode).toBe(201);
    const again = await beacon(alice.code, ua);
    expect(again.json()).toEqual({ clickId: first.json().clickId, counted: false });
    expect(await referral(first.json().clickId)).toMatchObject({ status: 'clicked', friendEmail: null, referralCode: alice.code });
  });

  it('turns the click into the pending referral when the friend signs up with its click ID', async () => {
    const { clickId } = (await beacon(alice.code, `${BROWSER} by-id`)).json();
    const email = friend();
    const response = await signUp({ friendEmail: email, friendName: 'Bob', clickId });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ referralId: clickId, status: 'pending', idempotent: false });
    expect(await referral(clickId)).toMatchObject({ status: 'pending', friendEmail: email, friendName: 'Bob' });
  });

  it('keeps when the friend consented, and to which terms, in the referral\'s metadata for the partner', async () => {
    await updateProgram(store.db, partner.programId, { branding: { termsUrl: 'https://shop.example/terms-v2' } }, Date.now());
    const before = Date.now();
    const { clickId } = (await beacon(alice.code, `${BROWSER} consent`)).json();
    expect((await signUp({ friendEmail: friend(), friendName: 'Cy', clickId, consent: true })).statusCode).toBe(201);
    const fresh = await signUp({ friendEmail: friend(), friendName: 'Di', code: alice.code, consent: true });
    const silent = await signUp({ friendEmail: friend(), friendName: 'Ed', code: alice.code });
    for (const id of [clickId, fresh.json().referralId]) {
      const { metadata } = await referral(id);
      expect(metadata).toEqual({ consent: { givenAt: expect.any(Number), termsUrl: 'https://shop.example/terms-v2' } });
      expect(metadata.consent.givenAt).toBeGreaterThanOrEqual(before);
    }
    expect((await referral(silent.json().referralId)).metadata).toEqual({});
  });

  it('finds the same visitor\'s click when the friend signs up with the code only (link straight to the shop)', async () => {
    const ua = `${BROWSER} by-visitor`;
    const { clickId } = (await beacon(alice.code, ua)).json();
    const response = await signUp({ friendEmail: friend(), friendName: 'Cleo', code: alice.code }, ua);
    expect(response.json()).toMatchObject({ referralId: clickId, status: 'pending' });
  });

  it('creates a new referral for another visitor, and answers a repeated sign-up idempotently', async () => {
    const { clickId } = (await beacon(alice.code, `${BROWSER} someone-else`)).json();
    const body = { friendEmail: friend(), friendName: 'Dan', code: alice.code };
    const first = await signUp(body, `${BROWSER} a-third-browser`);
    expect(first.statusCode).toBe(201);
    expect(first.json().referralId).not.toBe(clickId);
    const repeat = await signUp(body, `${BROWSER} a-third-browser`);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toEqual({ ...first.json(), idempotent: true });
  });

  it('refuses self-referral, disposable emails and unknown referrers with field errors', async () => {
    expectError(await signUp({ friendEmail: 'alice@example.com', friendName: 'A', code: alice.code }), 400, 'VALIDATION_ERROR');
    const disposable = expectError(await signUp({ friendEmail: 'x@mailinator.com', friendName: 'X', code: alice.code }), 400, 'VALIDATION_ERROR');
    expect(disposable.fields).toEqual([{ field: 'friendEmail', message: expect.any(String) }]);
    const unknown = expectError(await signUp({ friendEmail: friend(), friendName: 'Y', code: 'zzzzzzzz' }), 400, 'VALIDATION_ERROR');
    expect(unknown.fields?.[0]?.field).toBe('code');
  });

  it('stores nothing when the honeypot is filled, while looking successful', async () => {
    const email = friend();
    const response = await signUp({ friendEmail: email, friendName: 'Bot', code: alice.code, website: 'http://spam.example' });
    expect(response.statusCode).toBe(201);
    const list = await call(app, partner, 'GET', `${REFERRALS}?search=${encodeURIComponent(email)}`);
    expect(list.json().pagination.total).toBe(0);
  });

  it('answers CORS for the program\'s origins and its landing page only', async () => {
    const preflight = (origin: string) => app.inject({
      method: 'OPTIONS', url: signUpUrl(), headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect((await preflight('https://shop.example')).headers['access-control-allow-origin']).toBe('https://shop.example');
    expect((await preflight('https://www.shop.example')).headers['access-control-allow-origin']).toBe('https://www.shop.example');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is 404 for an unknown program and 400 for a malformed one', async () => {
    expectError(await app.inject({ method: 'POST', url: '/api/public/programs/pub_0000000000000000/referrals', payload: { friendEmail: friend(), friendName: 'Z', code: alice.code } }), 404, 'NOT_FOUND');
    expectError(await app.inject({ method: 'POST', url: '/api/public/programs/nope/clicks', payload: { code: alice.code } }), 400, 'VALIDATION_ERROR');
  });

  it('stores a keyed hash of the visitor, not one anyone could reverse, and counts the visitor once across servers on one database', async () => {
    const ua = `${BROWSER} hashed`;
    const { clickId } = (await beacon(alice.code, ua)).json();
    const row = await store.db.selectFrom('referrals').select('visitor_hash').where('id', '=', clickId).executeTakeFirstOrThrow();
    const plain = createHash('sha256').update(`127.0.0.1\n${ua}`).digest('hex');
    expect(row.visitor_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.visitor_hash).not.toBe(plain);
    const second = await testApp(store, { publicRateLimit: 0 });
    const again = await second.inject({ method: 'POST', url: clickUrl(), payload: JSON.stringify({ code: alice.code }), headers: { 'content-type': 'text/plain', 'user-agent': ua } });
    expect(again.json()).toEqual({ clickId, counted: false });
    await second.close();
  });

  it('limits sign-ups per IP with 429 and retryAfterMs', async () => {
    const limited = await testApp(store, { publicRateLimit: 2 });
    const send = () => limited.inject({ method: 'POST', url: signUpUrl(), payload: { friendEmail: friend(), friendName: 'R', code: alice.code }, remoteAddress: '203.0.113.9' });
    expect((await send()).statusCode).toBe(201);
    expect((await send()).statusCode).toBe(201);
    const over = await send();
    expect(expectError(over, 429, 'RATE_LIMITED').retryAfterMs).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    await limited.close();
  });
});

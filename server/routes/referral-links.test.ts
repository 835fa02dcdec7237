import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { manualClock } from '../domain/clock.ts';
import { updateProgram } from '../store/programs.ts';
import { ensureReferrer } from '../store/referrers.ts';
import { call, expectError, newPartner, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const LANDING = 'https://www.shop.example/welcome?lang=en#top';
const HOUR = 3_600_000;

describe.each(STORE_KINDS)('GET /r/{code} on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: TestPartner;
  let code: string;
  let otherCode: string;
  const clock = manualClock();
  let visitor = 0;

  /** A click from its own visitor (address) unless told otherwise. */
  const click = (path: string, headers: Record<string, string> = {}, extra: { method?: 'GET' | 'HEAD'; remoteAddress?: string; on?: FastifyInstance } = {}) =>
    (extra.on ?? app).inject({ method: extra.method ?? 'GET', url: path, headers: { 'user-agent': BROWSER, ...headers }, remoteAddress: extra.remoteAddress ?? `10.0.0.${++visitor % 250}` });
  const location = (response: { headers: Record<string, unknown> }) => new URL(String(response.headers.location));
  const clicked = async () => (await call(app, partner, 'GET', `${REFERRALS}?status=clicked`)).json<{ referrals: Array<{ referralId: string; referralCode: string }> }>().referrals;

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, {}, clock);
    partner = await newPartner(store, { now: clock.now() });
    await updateProgram(store.db, partner.programId, { landingUrl: LANDING, allowedOrigins: ['https://shop.example'] }, clock.now());
    code = (await ensureReferrer(store.db, partner.programId, 'alice', clock.now())).code;
    otherCode = (await ensureReferrer(store.db, partner.programId, 'bob', clock.now())).code;
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });
  beforeEach(() => clock.advance(2 * HOUR));

  it('records a click and sends the friend to the landing URL with ref and ot_click added', async () => {
    const response = await click(`/r/${code}`);
    expect(response.statusCode).toBe(302);
    const target = location(response);
    expect(target.origin + target.pathname + target.hash).toBe('https://www.shop.example/welcome#top');
    expect(target.searchParams.get('lang')).toBe('en');
    expect(target.searchParams.get('ref')).toBe(code);
    const clickId = target.searchParams.get('ot_click');
    expect(clickId).toMatch(/^ref_[0-9a-f]{16}$/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect((await clicked()).find((r) => r.referralId === clickId)).toMatchObject({ referralCode: code });
  });

  it('keeps the link\'s UTM parameters and lets them win over the landing URL\'s', async () => {
    const target = location(await click(`/r/${code}?utm_source=whatsapp&utm_campaign=spring&lang=de&ref=zzzz9999&ot_click=ref_0000000000000000`));
    expect(Object.fromEntries(target.searchParams)).toMatchObject({ utm_source: 'whatsapp', utm_campaign: 'spring', lang: 'de', ref: code });
    expect(target.searchParams.get('ot_click')).not.toBe('ref_0000000000000000');
  });

  it('accepts a code typed in capitals', async () => {
    expect(location(await click(`/r/${code.toUpperCase()}`)).searchParams.get('ref')).toBe(code);
  });

  it('counts repeated clicks by one visitor within the hour once', async () => {
    const before = (await clicked()).length;
    const first = location(await click(`/r/${code}`, {}, { remoteAddress: '10.9.9.9' })).searchParams.get('ot_click');
    clock.advance(HOUR - 1000);
    const again = location(await click(`/r/${code}`, {}, { remoteAddress: '10.9.9.9' })).searchParams.get('ot_click');
    expect(again).toBe(first);
    expect((await clicked()).length).toBe(before + 1);
    clock.advance(2000);
    expect(location(await click(`/r/${code}`, {}, { remoteAddress: '10.9.9.9' })).searchParams.get('ot_click')).not.toBe(first);
  });

  describe('never an open redirect', () => {
    it('follows ?to= to a page on one of the program\'s origins', async () => {
      expect(location(await click(`/r/${code}?to=${encodeURIComponent('/shoes?size=42')}`)).href).toMatch(/^https:\/\/www\.shop\.example\/shoes\?size=42&ref=/);
      expect(location(await click(`/r/${code}?to=${encodeURIComponent('https://shop.example/sale')}`)).href).toMatch(/^https:\/\/shop\.example\/sale\?ref=/);
    });

    it.each([
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'https://www.shop.example.evil.example/',
      'http://www.shop.example/',
      'javascript:alert(1)',
      'data:text/html,hi',
    ])('ignores ?to=%s and uses the landing URL', async (to) => {
      expect(location(await click(`/r/${code}?to=${encodeURIComponent(to)}`)).href).toMatch(/^https:\/\/www\.shop\.example\/welcome\?lang=en&ref=/);
    });
  });

  describe('bots and previews', () => {
    it.each([
      ['Slack', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
      ['Facebook', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
      ['WhatsApp', 'WhatsApp/2.23.20.0'],
      ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
      ['no user agent', ''],
    ])('%s is redirected without a click or a cookie', async (_, agent) => {
      const before = (await clicked()).length;
      const response = await click(`/r/${code}`, { 'user-agent': agent });
      expect(response.statusCode).toBe(302);
      expect(location(response).searchParams.get('ref')).toBe(code);
      expect(location(response).searchParams.has('ot_click')).toBe(false);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect((await clicked()).length).toBe(before);
    });

    it('a HEAD request is redirected without a click', async () => {
      const before = (await clicked()).length;
      const response = await click(`/r/${code}`, {}, { method: 'HEAD' });
      expect(response.statusCode).toBe(302);
      expect(location(response).searchParams.get('ref')).toBe(code);
      expect((await clicked()).length).toBe(before);
    });
  });

  describe('links that cannot be followed', () => {
    it.each(['zzzzzzzz', 'a1b2c3d', 'a1b2c3d4e', '%3Cscript%3E', '..%2F..%2Fetc'])('an unknown or malformed code %s gets a friendly page, not an error', async (bad) => {
      const response = await click(`/r/${bad}`);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('This referral link doesn’t work');
      expect(response.body).not.toContain('<script');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    });

    it('a program without landing URL or origins gets a friendly page; with an allowed origin only, its home page', async () => {
      const other = await newPartner(store, { now: clock.now() });
      const otherReferrer = await ensureReferrer(store.db, other.programId, 'carol', clock.now());
      const waiting = await click(`/r/${otherReferrer.code}`);
      expect(waiting.statusCode).toBe(200);
      expect(waiting.body).toContain('Almost there');
      await updateProgram(store.db, other.programId, { allowedOrigins: ['https://other.example'] }, clock.now());
      expect(location(await click(`/r/${otherReferrer.code}`)).href).toMatch(/^https:\/\/other\.example\/\?ref=/);
    });
  });

  describe('the server\'s first-touch cookie', () => {
    const cookieOf = (response: { headers: Record<string, unknown> }) => String(response.headers['set-cookie'] ?? '');

    it('over http: 90 days, HttpOnly, SameSite=Lax, for /r only', async () => {
      const response = await click(`/r/${code}`);
      const clickId = location(response).searchParams.get('ot_click');
      expect(cookieOf(response)).toBe(`ot_${partner.programId}=${code}.${clickId}.${clock.now()}; Path=/r; Max-Age=${90 * 86400}; HttpOnly; SameSite=Lax`);
    });

    it('over https: SameSite=None; Secure; Partitioned, known from the public URL or a trusted proxy', async () => {
      const https = await testApp(store, { publicUrl: 'https://offertown.example' } satisfies Partial<Config>, clock);
      expect(cookieOf(await click(`/r/${code}`, {}, { on: https }))).toMatch(/; HttpOnly; Secure; SameSite=None; Partitioned$/);
      const proxied = await testApp(store, { trustProxy: true }, clock);
      expect(cookieOf(await click(`/r/${code}`, { 'x-forwarded-proto': 'https' }, { on: proxied }))).toMatch(/; Secure; SameSite=None; Partitioned$/);
      expect(cookieOf(await click(`/r/${code}`, { 'x-forwarded-proto': 'https' }))).toMatch(/; SameSite=Lax$/);
      await https.close();
      await proxied.close();
    });

    it('keeps the first touch: a later link of the same program sends the friend on with the first referrer\'s code', async () => {
      const first = await click(`/r/${code}`);
      const cookie = cookieOf(first).split(';')[0]!;
      const firstClick = location(first).searchParams.get('ot_click');
      clock.advance(HOUR);
      const later = await click(`/r/${otherCode}`, { cookie });
      expect(location(later).searchParams.get('ref')).toBe(code);
      expect(location(later).searchParams.get('ot_click')).toBe(firstClick);
      expect(later.headers['set-cookie']).toBeUndefined();
      // The later link's click is still counted for its referrer.
      expect((await clicked()).map((r) => r.referralCode)).toContain(otherCode);
    });

    it('lets a new link win once the first touch is past the window, or when the cookie is another program\'s or forged', async () => {
      const first = await click(`/r/${code}`);
      const cookie = cookieOf(first).split(';')[0]!;
      clock.advance(91 * 24 * HOUR);
      expect(location(await click(`/r/${otherCode}`, { cookie })).searchParams.get('ref')).toBe(otherCode);
      const foreign = cookie.replace(partner.programId, 'pub_0000000000000000');
      expect(location(await click(`/r/${otherCode}`, { cookie: foreign })).searchParams.get('ref')).toBe(otherCode);
      expect(location(await click(`/r/${otherCode}`, { cookie: `ot_${partner.programId}=<x>` })).searchParams.get('ref')).toBe(otherCode);
    });
  });

  it('the tracker\'s click beacon (text/plain, as sendBeacon sends it) records a click of a link that skipped /r/', async () => {
    const beacon = (programId: string) => app.inject({
      method: 'POST', url: `/api/public/programs/${programId}/clicks`,
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER, origin: 'https://www.shop.example' },
      payload: JSON.stringify({ code }), remoteAddress: '10.8.8.8',
    });
    const response = await beacon(partner.programId);
    expect(response.statusCode).toBe(201);
    expect((await clicked()).map((r) => r.referralId)).toContain(response.json().clickId);
    expect(response.headers['access-control-allow-origin']).toBe('https://www.shop.example');
    expectError(await beacon('pub_0000000000000000'), 404, 'NOT_FOUND');
  });

  it('stops recording beyond the per-IP click limit but still sends friends on', async () => {
    const limited = await testApp(store, { linkClickLimit: 120 }, clock);
    const responses = [];
    for (let i = 0; i < 125; i++) responses.push(await click(`/r/${code}`, { 'user-agent': `${BROWSER} ${i}` }, { on: limited, remoteAddress: '10.7.7.7' }));
    expect(responses.every((r) => r.statusCode === 302)).toBe(true);
    expect(responses.filter((r) => location(r).searchParams.has('ot_click'))).toHaveLength(120);
    await limited.close();
  });
});

describe('GET /t.js and POST /ot', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: TestPartner;

  beforeAll(async () => {
    if (!existsSync(new URL('../../dist/tracker/t.js', import.meta.url))) {
      execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'tracker', '--logLevel', 'warn'], { cwd: new URL('../../', import.meta.url), stdio: 'inherit' });
    }
    store = await freshStore('sqlite');
    app = await testApp(store);
    partner = await newPartner(store);
    await updateProgram(store.db, partner.programId, { attributionWindowDays: 30 }, Date.now());
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('serves the built tracker, gzipped when accepted, cacheable and revalidated by ETag', async () => {
    const plain = await app.inject({ url: '/t.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const zipped = await app.inject({ url: '/t.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
    const again = await app.inject({ url: '/t.js', headers: { 'if-none-match': String(plain.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('POST /ot sets the cookie for what is left of the program\'s window, on the page\'s domain', async () => {
    const now = Date.now();
    const value = `a1b2c3d4..${now}`;
    const response = await app.inject({
      method: 'POST', url: '/ot',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://www.shop.example' },
      payload: JSON.stringify({ p: partner.programId, v: value, d: 'shop.example' }),
    });
    expect(response.statusCode).toBe(204);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^ot_ref=${value.replace(/\./g, '\\.')}; Path=/; Max-Age=(\\d+); SameSite=Lax; Domain=shop\\.example; Secure$`));
    expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeGreaterThan(30 * 86400 - 60);
    expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeLessThanOrEqual(30 * 86400);
  });

  it('POST /ot refuses an unknown program and a foreign domain with the error shape', async () => {
    const post = (body: unknown) => app.inject({ method: 'POST', url: '/ot', headers: { 'content-type': 'text/plain', origin: 'https://www.shop.example' }, payload: JSON.stringify(body) });
    expectError(await post({ p: 'pub_00', v: `a1b2c3d4..${Date.now()}` }), 404, 'NOT_FOUND');
    expectError(await post({ p: partner.programId, v: `a1b2c3d4..${Date.now()}`, d: 'evil.example' }), 400, 'VALIDATION_ERROR');
    expectError(await post('nonsense'), 400, 'VALIDATION_ERROR');
  });
});

/**
 * `GET/PATCH /api/v1/partners/program`: the partner's program settings, the
 * documented extension with the partner API's authentication.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../domain/clock.ts';
import { call, createdReferralId, expectError, fieldNames, newPartner, PROGRAM, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const DAY_MS = 86_400_000;

describe.each(STORE_KINDS)('partner program API on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock(Date.UTC(2026, 4, 1));

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, {}, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  const program = async (partner: TestPartner) => {
    const response = await call(app, partner, 'GET', PROGRAM);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it('shows a new partner\'s program with the defaults: no landing URL, no origins, 90 days', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    expect(await program(partner)).toMatchObject({
      programId: partner.programId,
      name: 'Test Shop',
      landingUrl: null,
      allowedOrigins: [],
      attributionWindowDays: 90,
      branding: { name: 'Test Shop', primaryColor: expect.stringMatching(/^#[0-9a-f]{6}$/i), theme: 'light', locale: null },
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(partner.programId).toMatch(/^pub_[0-9a-f]{16}$/);
  });

  it('changes the landing URL, origins, window and name, merges branding field by field, and keeps the rest', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    await call(app, partner, 'PATCH', PROGRAM, { branding: { logoUrl: 'https://shop.example/logo.png', headline: 'Hi' } });
    clock.advance(1000);
    const response = await call(app, partner, 'PATCH', PROGRAM, {
      name: 'Shop',
      landingUrl: 'https://shop.example/welcome',
      allowedOrigins: ['https://shop.example', 'https://www.shop.example:8443'],
      attributionWindowDays: 30,
      branding: { primaryColor: '#1a73e8', headline: 'A friend invited you' },
    });
    expect(response.statusCode).toBe(200);
    const expected = {
      programId: partner.programId,
      name: 'Shop',
      landingUrl: 'https://shop.example/welcome',
      allowedOrigins: ['https://shop.example', 'https://www.shop.example:8443'],
      attributionWindowDays: 30,
      branding: { name: 'Test Shop', logoUrl: 'https://shop.example/logo.png', primaryColor: '#1a73e8', headline: 'A friend invited you', theme: 'light', locale: null },
      updatedAt: clock.now(),
    };
    expect(response.json()).toMatchObject(expected);
    expect(await program(partner)).toMatchObject(expected);

    const cleared = (await call(app, partner, 'PATCH', PROGRAM, { landingUrl: null, allowedOrigins: [], branding: { logoUrl: null } })).json();
    expect(cleared).toMatchObject({ landingUrl: null, allowedOrigins: [], attributionWindowDays: 30, branding: { logoUrl: null, headline: 'A friend invited you' } });
  });

  it('changes only the calling partner\'s program', async () => {
    const mine = await newPartner(store);
    const theirs = await newPartner(store);
    await call(app, mine, 'PATCH', PROGRAM, { landingUrl: 'https://mine.example/' });
    expect((await program(theirs)).landingUrl).toBeNull();
    expect((await program(mine)).landingUrl).toBe('https://mine.example/');
  });

  it('applies a shorter attribution window to expiry at once', async () => {
    const partner = await newPartner(store);
    const id = await createdReferralId(app, partner);
    clock.advance(31 * DAY_MS);
    expect((await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json().status).toBe('pending');
    await call(app, partner, 'PATCH', PROGRAM, { attributionWindowDays: 30 });
    expect((await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json().status).toBe('expired');
    expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: 'late' }), 409, 'REFERRAL_EXPIRED');
  });

  it('rejects invalid settings with 400 VALIDATION_ERROR naming each field, and changes nothing', async () => {
    const partner = await newPartner(store);
    const before = await program(partner);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ landingUrl: 'javascript:alert(1)' }, ['landingUrl']],
      [{ landingUrl: 'not a url' }, ['landingUrl']],
      [{ allowedOrigins: ['https://shop.example/path'] }, ['allowedOrigins.0']],
      [{ allowedOrigins: ['https://ok.example', 'https://shop.example/'] }, ['allowedOrigins.1']],
      [{ allowedOrigins: 'https://shop.example' }, ['allowedOrigins']],
      [{ attributionWindowDays: 0 }, ['attributionWindowDays']],
      [{ attributionWindowDays: 366 }, ['attributionWindowDays']],
      [{ attributionWindowDays: 1.5 }, ['attributionWindowDays']],
      [{ branding: { primaryColor: 'red' } }, ['branding.primaryColor']],
      [{ branding: { font: 'Comic Sans' } }, ['branding.font']],
      [{ branding: { theme: 'neon', locale: 'xx' } }, ['branding.locale', 'branding.theme']],
      [{ name: '' }, ['name']],
      [{ programId: 'pub_other' }, ['programId']],
      [{ partnerId: 'prt_other' }, ['partnerId']],
    ];
    for (const [body, fields] of cases) {
      const error = expectError(await call(app, partner, 'PATCH', PROGRAM, body), 400, 'VALIDATION_ERROR');
      expect(fieldNames(error).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect(fieldNames(expectError(await call(app, partner, 'GET', `${PROGRAM}?partnerId=prt_1`), 400, 'VALIDATION_ERROR'))).toEqual(['partnerId']);
    expect(fieldNames(expectError(await call(app, partner, 'PATCH', `${PROGRAM}?partnerId=prt_1`, { name: 'X' }), 400, 'VALIDATION_ERROR'))).toEqual(['partnerId']);
    expect(await program(partner)).toEqual(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { defaultConfig } from '../config.ts';
import { createPartner, rotateApiKey, type CreatedPartner } from '../store/partners.ts';
import { createReferral } from '../store/referrals.ts';
import { freshStore, type TestStore } from '../test/stores.ts';

describe('partner dashboard', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: CreatedPartner;

  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await buildApp({ config: defaultConfig({ publicUrl: 'https://ref.example.com' }), store });
    partner = await createPartner(store.db, { name: 'Acme', approve: true }, Date.now());
    const scope = { programId: partner.programId, attributionWindowDays: 90 };
    await createReferral(store.db, scope, { referrerIdentifier: 'cust_1', friendEmail: 'ana@example.com', friendName: '<script>alert(1)</script>' }, Date.now());
  });
  afterAll(async () => { await app.close(); await store.cleanup(); });

  const signIn = async (apiKey: string) => {
    const response = await app.inject({ method: 'POST', url: '/dashboard/login', payload: `apiKey=${apiKey}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return { response, cookie: response.cookies.find((c) => c.name === 'ot_dashboard') };
  };

  it('sends a visitor without a session to the sign-in page', async () => {
    const response = await app.inject({ url: '/dashboard' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/dashboard/login');
  });

  it('refuses a wrong key and signs in with the right one into an HTTP-only, strict cookie', async () => {
    expect((await signIn('oft_00000000000000000000000000000000')).response.statusCode).toBe(401);
    const { response, cookie } = await signIn(partner.apiKey);
    expect(response.statusCode).toBe(303);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/dashboard' });
  });

  it('lists the referrals with every value escaped', async () => {
    const { cookie } = await signIn(partner.apiKey);
    const page = await app.inject({ url: '/dashboard', cookies: { ot_dashboard: cookie!.value } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ana@example.com');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert(1)</script>');
  });

  it('shows the snippets for the public URL and saves settings, refusing an invalid landing URL', async () => {
    const { cookie } = await signIn(partner.apiKey);
    const cookies = { ot_dashboard: cookie!.value };
    const settings = await app.inject({ url: '/dashboard/settings', cookies });
    expect(settings.body).toContain(`https://ref.example.com/t.js&quot; data-program=&quot;${partner.programId}`);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const bad = await app.inject({ method: 'POST', url: '/dashboard/settings', cookies, headers: form, payload: 'landingUrl=javascript:alert(1)' });
    expect(bad.statusCode).toBe(400);
    const good = await app.inject({ method: 'POST', url: '/dashboard/settings', cookies, headers: form, payload: 'landingUrl=https%3A%2F%2Fshop.example%2F&allowedOrigins=https%3A%2F%2Fshop.example' });
    expect(good.statusCode).toBe(200);
    const program = await app.inject({ url: '/api/v1/partners/program', headers: { 'x-api-key': partner.apiKey } });
    expect(program.json()).toMatchObject({ landingUrl: 'https://shop.example/', allowedOrigins: ['https://shop.example'] });
  });

  it('refuses a form posted from another origin', async () => {
    const { cookie } = await signIn(partner.apiKey);
    const response = await app.inject({
      method: 'POST', url: '/dashboard/settings', cookies: { ot_dashboard: cookie!.value },
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'landingUrl=https%3A%2F%2Fevil.example%2F',
    });
    expect(response.statusCode).toBe(403);
  });

  it('signs every session out when the key is rotated', async () => {
    const { cookie } = await signIn(partner.apiKey);
    await rotateApiKey(store.db, partner.partnerId, Date.now());
    const page = await app.inject({ url: '/dashboard', cookies: { ot_dashboard: cookie!.value } });
    expect(page.statusCode).toBe(303);
  });
});

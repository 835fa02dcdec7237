import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateProgram } from '../store/programs.ts';
import { newPartner, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, type TestStore } from '../test/stores.ts';
import { buildPart } from '../test/widget-build.ts';

/** The config the page inlines, read back as the widget reads it. */
const inlined = (html: string) => JSON.parse(/<script type="application\/json" id="ot-config">(.*?)<\/script>/s.exec(html)![1]!);

describe('GET /widget/{programId}', () => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: TestPartner;
  const page = (query = '', headers: Record<string, string> = {}) => app.inject({ url: `/widget/${partner.programId}${query}`, headers });

  beforeAll(async () => {
    buildPart('widget');
    store = await freshStore('sqlite');
    app = await testApp(store);
    partner = await newPartner(store);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('may be framed by the program\'s allowed origins only, without X-Frame-Options', async () => {
    await updateProgram(store.db, partner.programId, { allowedOrigins: ['https://shop.example', 'https://www.shop.example'] }, Date.now());
    const response = await page();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toMatch(/(^|; )frame-ancestors https:\/\/shop\.example https:\/\/www\.shop\.example$/);
    expect(response.headers['x-frame-options']).toBeUndefined();
  });

  it('may be framed by nobody while the program allows no origin', async () => {
    await updateProgram(store.db, partner.programId, { allowedOrigins: [] }, Date.now());
    expect((await page()).headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('leaves the rest of the server unframable', async () => {
    expect((await app.inject({ url: '/healthz' })).headers['x-frame-options']).toBe('DENY');
  });

  it('inlines the branding escaped: markup in a name stays text', async () => {
    const name = '</script><script>alert(1)</script><b>"Shop"</b> & co';
    await updateProgram(store.db, partner.programId, { branding: { name, headline: '<img src=x onerror=alert(1)>' } }, Date.now());
    const html = (await page()).body;
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;&quot;Shop&quot;&lt;/b&gt; &amp; co – Referral form</title>');
    expect(inlined(html)).toMatchObject({ brand: name, headline: '<img src=x onerror=alert(1)>', programId: partner.programId });
  });

  it('applies valid overrides in the page itself: language, theme, colour, attribution', async () => {
    const html = (await page('?locale=fr&theme=dark&color=%23ffcc00&ref=A1B2C3D4&click=nope', { 'accept-language': 'de' })).body;
    expect(html).toMatch(/<html lang="fr" data-theme="dark">/);
    expect(inlined(html)).toMatchObject({ color: '#ffcc00', onColor: '#000000', ref: 'a1b2c3d4', click: null });
  });

  it('speaks the browser\'s language when neither the page nor the program chooses', async () => {
    await updateProgram(store.db, partner.programId, { branding: { locale: null } }, Date.now());
    const response = await page('', { 'accept-language': 'nl-BE,nl;q=0.9' });
    expect(response.body).toContain('<html lang="nl"');
    expect(response.headers.vary).toContain('accept-language');
  });

  it('sends the browser only the messages its script shows', async () => {
    const { t } = inlined((await page('?locale=it')).body);
    expect(t.needName).toBe('Inserisci il tuo nome.');
    expect(Object.keys(t)).not.toEqual(expect.arrayContaining(['notFound']));
    expect(t).not.toHaveProperty('rewardAmount');
  });

  it('is cached briefly and gzipped; its hashed assets cached for a year, gzipped', async () => {
    const response = await page();
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    const zipped = await page('', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(response.body);
    const assets = [...response.body.matchAll(/(?:src|href)="(\/widget\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    for (const url of assets) {
      const plain = await app.inject({ url });
      const zipped = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-type']).toMatch(url.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(zipped.headers.vary).toContain('accept-encoding');
    }
  });

  it('serves nothing but the built assets', async () => {
    for (const url of ['/widget/assets/..%2F..%2Fpackage.json', '/widget/assets/index.html', '/widget/assets/nope-123.js']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('tells a friend kindly, in their language, when the program does not exist', async () => {
    for (const id of ['pub_0000000000000000', 'not-a-program']) {
      const response = await app.inject({ url: `/widget/${id}`, headers: { 'accept-language': 'es' } });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.body).toContain('<h1>Este formulario no está disponible</h1>');
    }
  });
});

// @vitest-environment node
/**
 * The cookie middleware mounted in a real node:http server, called as the
 * tracker calls it: POST /ot with a text/plain JSON body, from the page's origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from './attribution.ts';
import { attributionCookie, attributionSetCookie } from './middleware.ts';

const NOW = 1_765_467_600_000;
const VALUE = `a1b2c3d4.ref_9f86d081884c7d65.${NOW}`;
let server: Server;
let base: string;

beforeAll(async () => {
  const ot = attributionCookie({ now: () => NOW + 1000, windowDays: 90 });
  server = createServer((req, res) => ot(req, res, () => res.writeHead(200).end('shop page')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/ot`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://www.shop.example', ...headers } });

describe('the cookie middleware', () => {
  it('re-sets the posted cookie with Set-Cookie for what is left of the window', async () => {
    const response = await post({ p: 'pub_1', v: VALUE, d: 'shop.example' });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toBe(`ot_ref=${VALUE}; Path=/; Max-Age=${90 * 86400 - 1}; SameSite=Lax; Domain=shop.example; Secure`);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the first touch the browser already holds', async () => {
    const first = `zzzz9999..${NOW - DAY_MS}`;
    const response = await post({ v: VALUE, d: 'shop.example' }, { cookie: `ot_ref=${first}` });
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^ot_ref=${first.replace(/\./g, '\\.')}; `));
  });

  it('sets a host-only cookie without Secure for an http page and no domain', async () => {
    const response = await post({ v: VALUE, d: '' }, { origin: 'http://localhost:3000' });
    expect(response.headers.get('set-cookie')).toBe(`ot_ref=${VALUE}; Path=/; Max-Age=${90 * 86400 - 1}; SameSite=Lax`);
  });

  it.each([
    ['a domain the page is not in', { v: VALUE, d: 'other.example' }, {}],
    ['a malformed value', { v: 'a1b2c3d4..x', d: 'shop.example' }, {}],
    ['no Origin header', { v: VALUE, d: 'shop.example' }, { origin: '' }],
    ['a body that is not JSON', '{v:', {}],
  ])('refuses %s', async (_, body, headers) => {
    const response = await post(body, headers as Record<string, string>);
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('refuses an oversized body', async () => {
    const response = await post({ v: VALUE, d: 'shop.example', pad: 'x'.repeat(5000) });
    expect(response.status).toBe(400);
  });

  it('passes every other request on', async () => {
    expect(await (await fetch(`${base}/ot`)).text()).toBe('shop page');
    expect(await (await fetch(`${base}/cart`, { method: 'POST', body: '{}' })).text()).toBe('shop page');
  });

  it('uses a body a parser already read', async () => {
    const ot = attributionCookie({ now: () => NOW });
    const headers: Record<string, string> = {};
    let status = 0;
    const res = { setHeader(k: string, v: string) { headers[k] = v; return this; }, end() { return this; }, set statusCode(s: number) { status = s; } };
    const req = { method: 'POST', url: '/ot', headers: { origin: 'https://shop.example' }, body: { v: VALUE, d: 'shop.example' }, readableEnded: true };
    ot(req as never, res as never, () => { throw new Error('not passed on'); });
    await new Promise((resolve) => setImmediate(resolve));
    expect(status).toBe(204);
    expect(headers['set-cookie']).toContain(`ot_ref=${VALUE}`);
  });
});

describe('attributionSetCookie', () => {
  it('accepts the page\'s own host as the domain', () => {
    const answer = attributionSetCookie({ body: { v: VALUE, d: 'www.shop.example' }, origin: 'https://www.shop.example', cookie: undefined }, 30, NOW);
    expect(answer).toMatchObject({ status: 204, setCookie: expect.stringContaining(`Max-Age=${30 * 86400}; SameSite=Lax; Domain=www.shop.example`) });
  });

  it('refuses a lookalike domain', () => {
    expect(attributionSetCookie({ body: { v: VALUE, d: 'hop.example' }, origin: 'https://www.shop.example', cookie: undefined }, 90, NOW).status).toBe(400);
  });
});

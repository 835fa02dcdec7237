/**
 * Referral links and the tracker in Chromium, across real host names: a
 * referrer's post on other.test links to Offertown's /r/ (offertown.test),
 * which sends the friend to the shop on www.shop.test, where /t.js keeps the
 * attribution in a first-party cookie on shop.test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from '@playwright/test';
import { updateProgram } from '../server/store/programs.ts';
import { ensureReferrer } from '../server/store/referrers.ts';
import { attributionCookie } from '../tracker/middleware.ts';
import { expect, test } from './support/fixtures.ts';

const DAY_S = 86_400;
const ROOT = new URL('../', import.meta.url);

/** Builds a browser part when its output is missing or older than its sources, so no run empties dist/ needlessly under another. */
function build(mode: 'tracker' | 'widget', output: string): void {
  const newest = (path: URL): number => statSync(path).isDirectory()
    ? Math.max(0, ...readdirSync(path).map((entry) => newest(new URL(`${path.href}/${entry}`))))
    : statSync(path).mtimeMs;
  const built = new URL(output, ROOT);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newest(new URL(mode, ROOT)), newest(new URL('contract', ROOT)))) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', mode, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

// Headless Chromium says "HeadlessChrome", which isbot rightly takes for a bot (no click recorded): be a person's browser.
test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' });

let alice: string;
let bob: string;

/** The shop's page: the queue stub, a ready flag, then the tracker as merchants paste it. */
const shopPage = (server: string, programId: string, attributes = '') => `<!doctype html><title>Shop</title><h1>Shop</h1>
<script>window.offertown=window.offertown||function(){(offertown.q=offertown.q||[]).push(arguments)};offertown('ready',function(r){window.otReady=true})</script>
<script async src="${server}/t.js" data-program="${programId}" ${attributes}></script>`;

const attributionCookieOf = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'ot_ref');
const trackerReady = (page: Page) => page.waitForFunction(() => (window as unknown as { otReady?: boolean }).otReady === true);
const referral = (page: Page) => page.evaluate(() => (window as unknown as { offertown(c: string): unknown }).offertown('referral') as { code: string; clickId: string | null } | null);
/** Days from now until the cookie expires. */
const daysLeft = (expires: number) => (expires - Date.now() / 1000) / DAY_S;

test.beforeAll(async ({ offertown, shop }) => {
  build('tracker', 'dist/tracker/t.js');
  const www = shop.origin('www.shop.test');
  await updateProgram(offertown.store.db, offertown.programId, { landingUrl: `${www}/landing`, allowedOrigins: [www, shop.origin('shop.test')] }, Date.now());
  alice = (await ensureReferrer(offertown.store.db, offertown.programId, 'alice', Date.now())).code;
  bob = (await ensureReferrer(offertown.store.db, offertown.programId, 'bob', Date.now())).code;
  shop.page('/landing', shopPage(offertown.url, offertown.programId));
  shop.page('/cart', shopPage(offertown.url, offertown.programId));
  shop.page('/post', `<!doctype html><p>My favourite shop: <a id="alice" href="${offertown.url}/r/${alice}">get 10% off</a>
    <a id="bob" href="${offertown.url}/r/${bob}?utm_source=blog">or with Bob</a>`);
});

test('a /r/ link lands on the shop with a 90-day first-touch cookie on the registrable domain; identify makes it pending', async ({ page, offertown, shop }) => {
  await page.goto(`${shop.origin('other.test')}/post`);
  await page.click('#alice');
  await page.waitForURL(/^http:\/\/www\.shop\.test:\d+\/landing\?ref=/);
  const landed = new URL(page.url());
  expect(landed.searchParams.get('ref')).toBe(alice);
  const clickId = landed.searchParams.get('ot_click')!;
  expect(clickId).toMatch(/^ref_[0-9a-f]{16}$/);
  await trackerReady(page);

  const cookie = (await attributionCookieOf(page.context()))!;
  expect(cookie).toMatchObject({ domain: '.shop.test', path: '/', sameSite: 'Lax', httpOnly: false, secure: false });
  expect(cookie.value).toMatch(new RegExp(`^${alice}\\.${clickId}\\.\\d{13}$`));
  expect(daysLeft(cookie.expires)).toBeGreaterThan(89.9);
  expect(daysLeft(cookie.expires)).toBeLessThanOrEqual(90);

  // The click is a referral in status clicked, visible to the partner.
  const click = await offertown.api(`/referrals/${clickId}`);
  expect(click.json).toMatchObject({ referralId: clickId, status: 'clicked', referralCode: alice, referrerIdentifier: 'alice' });

  // Bob's link, later, with Offertown's own cookie gone (say blocked as third-party): the shop's cookie still holds Alice.
  await page.context().clearCookies({ domain: 'offertown.test' });
  await page.goto(`${shop.origin('other.test')}/post`);
  await page.click('#bob');
  await page.waitForURL(new RegExp(`ref=${bob}`));
  expect(new URL(page.url()).searchParams.get('utm_source')).toBe('blog');
  await trackerReady(page);
  expect((await attributionCookieOf(page.context()))!.value).toBe(cookie.value);
  expect(await referral(page)).toMatchObject({ code: alice, clickId });

  // A link straight to the shop (no ot_click) on the bare domain: same cookie, and the tracker reports the click.
  const beacon = page.waitForRequest((r) => r.url().endsWith(`/api/public/programs/${offertown.programId}/clicks`));
  await page.goto(`${shop.origin('shop.test')}/cart?ref=${bob}`);
  expect(JSON.parse((await beacon).postData()!)).toEqual({ code: bob });
  await trackerReady(page);
  expect(await referral(page)).toMatchObject({ code: alice, clickId });
  // Same visitor as Bob's /r/ click a moment ago: counted once.
  const bobsClicks = async () => (await offertown.api('/referrals?status=clicked')).json.referrals.filter((r: { referralCode: string }) => r.referralCode === bob);
  expect(await bobsClicks()).toHaveLength(1);

  // The shop's sign-up form tells Offertown who the friend is: the click becomes a pending referral.
  const answer = await page.evaluate(() => (window as unknown as { offertown(c: string, a: unknown): Promise<unknown> }).offertown('identify', { email: 'ana@example.org', name: 'Ana' }));
  expect(answer).toMatchObject({ referralId: clickId, status: 'pending' });
  expect((await offertown.api(`/referrals/${clickId}`)).json).toMatchObject({ status: 'pending', friendEmail: 'ana@example.org', friendName: 'Ana' });
});

test('the server-set cookie way: the shop\'s own Node middleware re-sets the cookie with Set-Cookie for the whole window', async ({ page, offertown, shop }) => {
  const ot = attributionCookie();
  shop.route('/ot', (req, res) => ot(req, res, () => res.writeHead(404).end()));
  // data-window="7" stands in for Safari's 7-day cap on cookies that scripts write.
  shop.page('/landing-ot', shopPage(offertown.url, offertown.programId, 'data-window="7" data-cookie-path="/ot"'));
  const setCookie = page.waitForResponse((r) => new URL(r.url()).pathname === '/ot');
  await page.goto(`${shop.origin('www.shop.test')}/landing-ot?ref=${alice}`);
  const response = await setCookie;
  expect(response.status()).toBe(204);
  expect(await response.headerValue('set-cookie')).toMatch(new RegExp(`^ot_ref=${alice}\\.\\.\\d{13}; Path=/; Max-Age=\\d+; SameSite=Lax; Domain=shop\\.test$`));
  await expect.poll(async () => daysLeft((await attributionCookieOf(page.context()))?.expires ?? 0)).toBeGreaterThan(89.9);
  expect((await attributionCookieOf(page.context()))!.domain).toBe('.shop.test');
});

test('the reverse-proxy way: /ot on the shop\'s domain forwarded to Offertown sets the cookie for the program\'s window', async ({ page, offertown, shop }) => {
  // A few lines standing in for nginx or Caddy in front of the shop: /ot goes to Offertown, the rest to the shop.
  const offertownPort = Number(new URL(offertown.url).port);
  const proxy: Server = createServer((req, res) => {
    const toOffertown = req.url?.split('?')[0] === '/ot';
    const upstream = forward({
      host: '127.0.0.1', port: toOffertown ? offertownPort : shop.port, method: req.method, path: req.url,
      headers: { ...req.headers, ...(toOffertown && { host: `offertown.test:${offertownPort}` }) },
    }, (answer) => { res.writeHead(answer.statusCode ?? 502, answer.headers); answer.pipe(res); });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  try {
    const port = (proxy.address() as AddressInfo).port;
    shop.page('/landing-proxy', shopPage(offertown.url, offertown.programId, 'data-window="7" data-cookie-path="/ot"'));
    const setCookie = page.waitForResponse((r) => new URL(r.url()).pathname === '/ot');
    await page.goto(`http://www.shop.test:${port}/landing-proxy?ref=${bob}`);
    expect((await setCookie).status()).toBe(204);
    await expect.poll(async () => daysLeft((await attributionCookieOf(page.context()))?.expires ?? 0)).toBeGreaterThan(89.9);
    expect((await attributionCookieOf(page.context()))).toMatchObject({ domain: '.shop.test', value: expect.stringMatching(new RegExp(`^${bob}\\.\\.`)) });
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});

test('/t.js is served gzipped and cacheable, within the size budget', async ({ request, offertown }) => {
  const response = await request.get(`${offertown.url.replace('offertown.test', '127.0.0.1')}/t.js`, { headers: { 'accept-encoding': 'gzip' } });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-encoding']).toBe('gzip');
  expect(response.headers()['cache-control']).toContain('max-age=');
  expect(Number(response.headers()['content-length'])).toBeLessThanOrEqual(1536);
});

test('the tracker hands the attribution to the Offertown widget on the page and sizes its iframe', async ({ page, offertown, shop }) => {
  build('widget', 'dist/widget/index.html');
  shop.page('/signup', `${shopPage(offertown.url, offertown.programId)}
    <iframe id="ot" src="${offertown.url}/widget/${offertown.programId}" style="border:0;width:100%;height:10px"></iframe>`);
  await page.goto(`${shop.origin('www.shop.test')}/signup?ref=${alice}`);
  await expect.poll(async () => (await page.locator('#ot').evaluate((f: HTMLIFrameElement) => f.getBoundingClientRect().height))).toBeGreaterThan(100);
  expect(await referral(page)).toMatchObject({ code: alice });
});

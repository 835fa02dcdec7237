/**
 * The widget in Debian's Chromium: a shop page on its own origin embeds it
 * from Offertown's origin with the snippet the CLI prints, and a friend signs
 * up with the mouse, with the keyboard alone, after clicking a share link,
 * and through a rate limit and a network failure.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, FrameLocator, Page } from '@playwright/test';
import { embedSnippets } from '../server/domain/embed-snippet.ts';
import { updateProgram } from '../server/store/programs.ts';
import { ensureReferrer } from '../server/store/referrers.ts';
import { findShareLink, recordClick } from '../server/store/public-referrals.ts';
import { buildPart } from '../server/test/widget-build.ts';
import type { ProgramUpdate } from '../contract/program.ts';
import { expect, test } from './support/fixtures.ts';
import { startOffertown, type OffertownUnderTest, type ShopUnderTest } from './support/servers.ts';

// Headless Chromium says "HeadlessChrome", which the share link rightly takes for a bot (no click recorded): be a person's browser.
test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' });

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = 'test-results/screenshots';

test.beforeAll(() => {
  buildPart('widget');
  buildPart('tracker');
});

let sequence = 0;

/** A referrer of its own for each test, so clicks and referrals never mix between tests. */
async function newReferrer(offertown: OffertownUnderTest) {
  const identifier = `alice-${Date.now()}-${++sequence}`;
  return ensureReferrer(offertown.store.db, offertown.programId, identifier, Date.now(), `${identifier}@example.com`);
}

/** The program embeddable by the shop's origins, plus any settings the test wants. */
async function configure(offertown: OffertownUnderTest, shop: ShopUnderTest, update: ProgramUpdate = {}) {
  await updateProgram(offertown.store.db, offertown.programId, {
    allowedOrigins: [shop.origin(), shop.origin('www.shop.test')],
    ...update,
    // Every setting a test may change, reset: the program outlives the test.
    branding: { name: 'Test Shop', termsUrl: `${shop.origin()}/terms`, logoUrl: null, primaryColor: '#4f46e5', theme: 'light', locale: null, friendRewardText: null, ...update.branding },
  }, Date.now());
}

/** A shop page holding the snippet the CLI prints, the iframe's src given this query. */
function shopPage(shop: ShopUnderTest, offertown: OffertownUnderTest, { query = '', tracker = false } = {}): string {
  const snippets = embedSnippets(offertown.url, offertown.programId, 90);
  const path = `/widget-spec/${++sequence}`;
  const iframe = snippets.widget.replace(`/widget/${offertown.programId}"`, `/widget/${offertown.programId}${query}"`);
  shop.page(path, `<!doctype html><html lang="en"><head><title>Shop</title>${tracker ? snippets.tracker : ''}
<style>main{max-width:480px;margin:24px auto;font-family:sans-serif}</style></head>
<body><main><h1>Invited by a friend</h1>${iframe}</main></body></html>`);
  return path;
}

/** The widget's frame, once it has shown itself. */
async function widget(page: Page): Promise<FrameLocator> {
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('html[data-sized]')).toHaveCount(1);
  return frame;
}

async function referralsOf(offertown: OffertownUnderTest, identifier: string) {
  const { status, json } = await offertown.api(`/referrals?search=${encodeURIComponent(identifier)}&pageSize=100`);
  expect(status).toBe(200);
  return json.referrals as Array<{ referralId: string; status: string; friendName: string | null; friendEmail: string | null; referrerIdentifier: string }>;
}

async function expectAxeClean(frame: Frame, what: string) {
  // Evaluated, not added as a <script>: the widget's CSP allows no script but its own.
  await frame.evaluate(AXE);
  const violations = await frame.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run();
    return violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target) }));
  });
  expect(violations, what).toEqual([]);
}

const widgetFrame = (page: Page): Frame => page.frames().find((f) => f.url().includes('/widget/pub_'))!;

test('a friend signs up in the widget on the shop\'s page: the referral is pending with their name and email', async ({ page, offertown, shop }) => {
  await configure(offertown, shop, { branding: { friendRewardText: '10 € off your first order' } });
  const alice = await newReferrer(offertown);
  await page.goto(shop.origin('www.shop.test') + shopPage(shop, offertown, { query: `?ref=${alice.code}` }));
  const frame = await widget(page);

  await expect(frame.getByLabel('Who referred you?')).toHaveCount(0);
  await frame.getByLabel('Your name').fill('Ana Lima');
  await frame.getByLabel('Your email address').fill('ana@mailinator.com');
  await frame.getByLabel(/I accept the terms and conditions/).check();
  await frame.getByRole('button', { name: 'Accept the invitation' }).click();
  // The server refuses a disposable address; the widget says so at the field.
  await expect(frame.getByText('This email address cannot accept the invitation. Please use another one.')).toBeVisible();
  await expect(frame.getByLabel('Your email address')).toBeFocused();

  await frame.getByLabel('Your email address').fill('ana.lima@example.com');
  await frame.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(frame.getByRole('heading', { name: 'Thank you, Ana Lima!' })).toBeFocused();
  await expect(frame.getByText('Your reward: 10 € off your first order')).toBeVisible();

  expect(await referralsOf(offertown, alice.identifier)).toEqual([
    expect.objectContaining({ status: 'pending', friendName: 'Ana Lima', friendEmail: 'ana.lima@example.com', referrerIdentifier: alice.identifier }),
  ]);
});

test('the same by keyboard alone, naming the referrer by email', async ({ page, offertown, shop }) => {
  await configure(offertown, shop);
  const alice = await newReferrer(offertown);
  await page.goto(shop.origin() + shopPage(shop, offertown));
  const frame = await widget(page);

  await page.keyboard.press('Tab');
  await expect(frame.getByLabel('Your name')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(frame.getByText('Please enter your name.')).toBeVisible();
  await expect(frame.getByLabel('Your name')).toBeFocused();

  await page.keyboard.type('Bruno Keys');
  await page.keyboard.press('Tab');
  await page.keyboard.type('bruno@example.com');
  await page.keyboard.press('Tab');
  await expect(frame.getByLabel('Who referred you?')).toBeFocused();
  await page.keyboard.type(alice.email!);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(frame.getByRole('checkbox')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(frame.getByRole('link', { name: 'terms and conditions' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(frame.getByRole('button', { name: 'Accept the invitation' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(frame.getByRole('heading', { name: 'Thank you, Bruno Keys!' })).toBeFocused();

  expect(await referralsOf(offertown, alice.identifier)).toEqual([
    expect.objectContaining({ status: 'pending', friendName: 'Bruno Keys', friendEmail: 'bruno@example.com' }),
  ]);
});

test('a friend who clicked a share link and then signs up is one referral: the click becomes pending', async ({ page, offertown, shop }) => {
  const alice = await newReferrer(offertown);
  const landing = shopPage(shop, offertown, { tracker: true });
  await configure(offertown, shop, { landingUrl: shop.origin() + landing });

  await page.goto(`${offertown.url}/r/${alice.code}`);
  await expect(page).toHaveURL(new RegExp(`^${shop.origin()}${landing}\\?ref=${alice.code}`));
  await page.waitForLoadState('networkidle');
  const [click] = await referralsOf(offertown, alice.identifier);
  expect(click).toMatchObject({ status: 'clicked' });

  // The tracker handed the attribution over: the widget does not ask who referred the friend.
  const frame = await widget(page);
  await expect(frame.getByLabel('Your name')).toBeVisible();
  await expect(frame.getByLabel('Who referred you?')).toHaveCount(0);
  await frame.getByLabel('Your name').fill('Carla');
  await frame.getByLabel('Your email address').fill('carla@example.com');
  await frame.getByRole('checkbox').check();
  await frame.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(frame.getByRole('heading', { name: 'Thank you, Carla!' })).toBeVisible();

  expect(await referralsOf(offertown, alice.identifier)).toEqual([
    expect.objectContaining({ referralId: click!.referralId, status: 'pending', friendName: 'Carla', friendEmail: 'carla@example.com' }),
  ]);
});

test('a click ID on the iframe\'s src upgrades that click too', async ({ page, offertown, shop }) => {
  await configure(offertown, shop);
  const alice = await newReferrer(offertown);
  const { clickId } = await recordClick(offertown.store.db, (await findShareLink(offertown.store.db, alice.code))!, `e2e-${sequence}`, Date.now());
  await page.goto(shop.origin() + shopPage(shop, offertown, { query: `?ref=${alice.code}&click=${clickId}` }));
  const frame = await widget(page);
  await frame.getByLabel('Your name').fill('Dora');
  await frame.getByLabel('Your email address').fill('dora@example.com');
  await frame.getByRole('checkbox').check();
  await frame.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(frame.getByRole('heading', { name: 'Thank you, Dora!' })).toBeVisible();

  expect(await referralsOf(offertown, alice.identifier)).toEqual([expect.objectContaining({ referralId: clickId, status: 'pending', friendEmail: 'dora@example.com' })]);
});

test('with the tracker the iframe takes the widget\'s height; the widget shows itself only once sized', async ({ page, offertown, shop }) => {
  await configure(offertown, shop);
  // How the widget's page looks before its script has measured it.
  await page.addInitScript(() => {
    if (location.pathname.startsWith('/widget/')) {
      document.addEventListener('DOMContentLoaded', () => {
        (window as unknown as { before: string }).before = getComputedStyle(document.body).visibility;
      });
    }
  });
  await page.goto(shop.origin() + shopPage(shop, offertown, { tracker: true }));
  const frame = await widget(page);
  expect(await widgetFrame(page).evaluate(() => (window as unknown as { before: string }).before)).toBe('hidden');
  expect(await widgetFrame(page).evaluate(() => getComputedStyle(document.body).visibility)).toBe('visible');

  const content = () => widgetFrame(page).evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const iframe = () => page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
  await expect.poll(iframe).toBe(await content());
  expect(await content()).not.toBe(520);

  // It follows the content: errors make the form taller.
  await frame.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(frame.getByText('Please enter your name.')).toBeVisible();
  await expect.poll(iframe).toBe(await content());
});

test('without the tracker the snippet shows the widget at its default height', async ({ page, offertown, shop }) => {
  await configure(offertown, shop);
  await page.goto(shop.origin() + shopPage(shop, offertown));
  await widget(page);
  await expect(page.frameLocator('iframe').getByLabel('Your name')).toBeVisible();
  expect(await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height)).toBe(520);
});

test('a page on an origin the program does not allow cannot frame the widget', async ({ page, offertown, shop }) => {
  await configure(offertown, shop);
  const path = shopPage(shop, offertown);
  const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await page.goto(`http://other.test:${shop.port}${path}`);
  await refused;
  await expect(page.frameLocator('iframe').getByLabel('Your name')).toHaveCount(0);
  expect(widgetFrame(page)).toBeUndefined();
});

test('axe-core finds no violation: light and dark, with errors, after success', async ({ page, offertown, shop }) => {
  await configure(offertown, shop, { branding: { friendRewardText: '10 € off', primaryColor: '#ffcc00' } });
  const alice = await newReferrer(offertown);
  for (const theme of ['light', 'dark']) {
    await page.goto(shop.origin() + shopPage(shop, offertown, { query: `?theme=${theme}` }));
    const frame = await widget(page);
    await expectAxeClean(widgetFrame(page), `${theme}: the form`);
    await frame.getByRole('button', { name: 'Accept the invitation' }).click();
    await expect(frame.getByText('Please enter your name.')).toBeVisible();
    await expectAxeClean(widgetFrame(page), `${theme}: the form with errors`);
    await page.locator('iframe').screenshot({ path: `${SCREENSHOTS}/widget-errors-${theme}.png` });
  }
  const frame = page.frameLocator('iframe');
  await frame.getByLabel('Your name').fill('Eve');
  await frame.getByLabel('Your email address').fill('eve@example.com');
  await frame.getByLabel('Who referred you?').fill(alice.code);
  await frame.getByRole('checkbox').check();
  await frame.getByRole('button', { name: 'Accept the invitation' }).click();
  await expect(frame.getByRole('heading', { name: 'Thank you, Eve!' })).toBeVisible();
  await expectAxeClean(widgetFrame(page), 'dark: success');
  await page.locator('iframe').screenshot({ path: `${SCREENSHOTS}/widget-success-dark.png` });
});

test('a network failure and a rate limit keep what the friend typed and offer a retry', async ({ page, shop }) => {
  const offertown = await startOffertown({ publicRateLimit: 1 });
  try {
    await configure(offertown, shop);
    const alice = await newReferrer(offertown);
    const fill = async (frame: FrameLocator, name: string) => {
      await frame.getByLabel('Your name').fill(name);
      await frame.getByLabel('Your email address').fill(`${name.toLowerCase()}@example.com`);
      await frame.getByRole('checkbox').check();
      await frame.getByRole('button', { name: 'Accept the invitation' }).click();
    };

    await page.goto(shop.origin() + shopPage(shop, offertown, { query: `?ref=${alice.code}` }));
    let frame = await widget(page);
    await page.route('**/api/public/**', (route) => route.abort('internetdisconnected'));
    await fill(frame, 'Finn');
    await expect(frame.getByRole('alert')).toHaveText(/Your details could not be sent/);
    await expect(frame.getByLabel('Your name')).toHaveValue('Finn');
    await page.unroute('**/api/public/**');
    await frame.getByRole('button', { name: 'Try again' }).click();
    await expect(frame.getByRole('heading', { name: 'Thank you, Finn!' })).toBeVisible();

    await page.reload();
    frame = await widget(page);
    await fill(frame, 'Gina');
    await expect(frame.getByRole('alert')).toHaveText(/Too many attempts/);
    await expect(frame.getByLabel('Your email address')).toHaveValue('gina@example.com');
    await expect(frame.getByRole('checkbox')).toBeChecked();
    await expect(frame.getByRole('button', { name: 'Try again' })).toBeVisible();
    expect((await referralsOf(offertown, alice.identifier)).map((r) => r.friendName)).toEqual(['Finn']);
  } finally {
    // The browser's keep-alive connections would hold the server open for their timeout.
    offertown.app.server.closeAllConnections();
    await offertown.close();
  }
});

test('screenshots: three locales and the dark theme', async ({ page, offertown, shop }) => {
  await configure(offertown, shop);
  for (const [name, query] of [['en', '?locale=en'], ['de', '?locale=de'], ['fr', '?locale=fr'], ['es-dark', '?locale=es&theme=dark&color=%2322c55e']]) {
    await page.goto(shop.origin() + shopPage(shop, offertown, { query, tracker: true }));
    const frame = await widget(page);
    await expect(frame.locator('h1')).toBeVisible();
    await expect.poll(() => page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height)).not.toBe(520);
    await page.locator('iframe').screenshot({ path: `${SCREENSHOTS}/widget-${name}.png` });
  }
});

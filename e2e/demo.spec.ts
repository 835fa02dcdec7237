/**
 * The demo journey of the README, end to end in Chromium, exactly as a
 * newcomer clicks through it after `npm start`: Alice's share link, the shop,
 * the widget, a purchase, approval in the dashboard, funding, and a refund.
 * With SCREENSHOT_DIR set (`npm run screenshots`), it also takes the README's
 * screenshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { defaultConfig } from '../server/config.ts';
import { DEMO_SETTINGS } from '../server/demo-settings.ts';
import { startDemo, type RunningDemo } from '../server/demo.ts';

// Headless Chromium calls itself HeadlessChrome, which referral links rightly treat as a bot.
test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' });

let demo: RunningDemo;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offertown-demo-'));
  demo = await startDemo(defaultConfig({ ...DEMO_SETTINGS, logLevel: 'silent', port: 0, host: '127.0.0.1', sqliteFile: join(dir, 'demo.db'), jobInterval: 60_000 }));
});

test.afterAll(async () => {
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function snap(page: Page, name: string) {
  const folder = process.env.SCREENSHOT_DIR ?? 'test-results/demo';
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

test('the demo journey: share link → shop → widget → purchase → approval → funded → refund clawback', async ({ page }) => {
  const { shop, server, partner } = demo;

  // Alice's page in the shop shows her share link.
  await page.goto(`${shop.url}/alice`);
  const shareLink = page.locator('#share-link');
  await expect(shareLink).toHaveText(new RegExp(`^${server.url}/r/[a-z0-9]{8}$`));
  await expect(page.locator('#wallet')).toHaveText('€0.00');
  await snap(page, '1-alice-share-link');

  // A friend follows it: a click is recorded and the shop keeps the attribution.
  await shareLink.click();
  await expect(page).toHaveURL(/\?ref=[a-z0-9]{8}&ot_click=ref_[0-9a-f]{16}$/);
  await expect(page.locator('#attribution')).toContainText('You were referred');

  // On the shop's "invited" page the friend fills in the widget.
  await page.goto(`${shop.url}/invited`);
  const widget = page.frameLocator('iframe[title="Referral sign-up"]');
  await widget.getByLabel('Your name').fill('Ana Lima');
  await widget.getByLabel('Your email address').fill('ana@example.com');
  await widget.getByRole('checkbox').check();
  await snap(page, '2-widget');
  await widget.getByRole('button', { name: 'Claim my gift' }).click();
  await expect(widget.getByRole('heading', { name: 'Thank you, Ana Lima!' })).toBeVisible();

  // She buys: the shop's server reports the conversion with its order ID.
  await page.goto(shop.url);
  await page.getByLabel('Your email').fill('ana@example.com');
  await page.getByRole('button', { name: 'Buy now' }).click();
  await expect(page.locator('#credited')).toContainText('gets a reward');
  const orderUrl = page.url();

  // The partner signs in to the dashboard and finds the converted referral.
  await page.goto(`${server.url}/dashboard/login`);
  await page.getByLabel('API key').fill(partner.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('tbody tr').first()).toContainText('converted');
  await snap(page, '3-dashboard-referrals');
  await page.getByRole('link', { name: 'Ana Lima' }).click();

  // Approval, then (demo only) skipping the 14-day confirmation period funds the rewards.
  await expect(page.locator('#rewards')).toContainText('awaiting_approval');
  await page.getByRole('button', { name: 'Approve rewards' }).click();
  await expect(page.locator('#notice')).toContainText('approved');
  await page.getByRole('button', { name: 'Skip the confirmation period (demo)' }).click();
  // 10 % of €129.99, rounded to the nearest cent: €13.00 for Alice; the friend's fixed €5.00.
  await expect(page.locator('#rewards tr', { hasText: 'referrer' })).toContainText('funded');
  await expect(page.locator('#rewards tr', { hasText: 'referrer' })).toContainText('€13.00');
  // The demo operator's 10 % commission, charged to the shop on top: €1.30 and €0.50.
  await expect(page.locator('#rewards tr', { hasText: 'referrer' })).toContainText('€1.30');
  await expect(page.locator('#rewards tr', { hasText: 'friend' })).toContainText('€0.50');
  await expect(page.locator('#wallet')).toHaveText('€13.00');
  await snap(page, '4-dashboard-funded');

  // Alice sees her wallet credited.
  await page.goto(`${shop.url}/alice`);
  await expect(page.locator('#wallet')).toHaveText('€13.00');

  // The shop refunds half the order: half of Alice's reward is clawed back.
  await page.goto(orderUrl);
  await page.getByRole('button', { name: 'Refund half of this order' }).click();
  await expect(page.locator('#refunded')).toContainText('€64.99');
  await page.goto(`${shop.url}/alice`);
  // €13.00 × 6499 / 12999 = €6.4995…, rounded to €6.50 clawed back.
  await expect(page.locator('#wallet')).toHaveText('€6.50');
  await snap(page, '5-alice-after-refund');
});

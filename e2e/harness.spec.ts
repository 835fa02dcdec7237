import { expect, test } from './support/fixtures.ts';

test('the shop and Offertown are two origins Chromium reaches by name', async ({ page, offertown, shop }) => {
  shop.page('/', '<h1>Shop</h1>');
  await page.goto(shop.origin('www.shop.test'));
  await expect(page.locator('h1')).toHaveText('Shop');
  await page.goto(`${offertown.url}/healthz`);
  expect(JSON.parse(await page.locator('body').innerText())).toEqual({ ok: true, database: 'sqlite' });
});

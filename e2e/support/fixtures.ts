/**
 * @module
 * Playwright fixtures: `offertown` and `shop`, fresh for each test file's worker.
 */
import { test as base } from '@playwright/test';
import { startOffertown, startShop, type OffertownUnderTest, type ShopUnderTest } from './servers.ts';

export const test = base.extend<{}, { offertown: OffertownUnderTest; shop: ShopUnderTest }>({
  offertown: [async ({}, use) => {
    const server = await startOffertown();
    await use(server);
    await server.close();
  }, { scope: 'worker' }],
  shop: [async ({}, use) => {
    const shop = await startShop();
    await use(shop);
    await shop.close();
  }, { scope: 'worker' }],
});

export { expect } from '@playwright/test';

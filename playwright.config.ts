/**
 * Browser tests in Debian's Chromium (Playwright never downloads a browser
 * here). Test hosts get real names, all on 127.0.0.1, so cookies and origins
 * behave as on the web: the shop on `shop.test` / `www.shop.test`, Offertown
 * on `offertown.test`.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
        '--host-resolver-rules=MAP *.shop.test 127.0.0.1, MAP shop.test 127.0.0.1, MAP offertown.test 127.0.0.1, MAP other.test 127.0.0.1',
      ],
    },
  },
});

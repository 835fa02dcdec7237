/**
 * @module
 * `offertown demo`: the whole referral journey on one machine. The server,
 * plus a demo shop on a second origin (the next port), an approved partner, a
 * program with rewards and a referrer, Alice, with her share link. Created on
 * first start and reused after; the API key is shown only once, so every demo
 * start issues a fresh one.
 */
import { startShop, type RunningShop } from '../demo/shop.ts';
import type { Config } from './config.ts';
import { startServer, type RunningServer } from './serve.ts';
import type { Store } from './store/connect.ts';
import { createPartner, listPartners, rotateApiKey } from './store/partners.ts';
import { updateProgram } from './store/programs.ts';
import { ensureReferrer } from './store/referrers.ts';

export const DEMO_PARTNER_EMAIL = 'demo@offertown.local';
export const DEMO_REFERRER = { identifier: 'alice', email: 'alice@example.com' } as const;

export interface DemoPartner {
  partnerId: string;
  programId: string;
  apiKey: string;
}

/** The demo partner (with a fresh API key), its program pointed at the shop, and Alice. */
export async function seedDemo(store: Store, now: number, shopUrl: string): Promise<DemoPartner> {
  const existing = (await listPartners(store.db)).find((p) => p.email === DEMO_PARTNER_EMAIL);
  const partner = existing
    ? { partnerId: existing.id, programId: existing.program_id, apiKey: (await rotateApiKey(store.db, existing.id, now))! }
    : await createPartner(store.db, { name: 'Demo Shop', email: DEMO_PARTNER_EMAIL, approve: true }, now);
  await pointProgramAt(store, partner.programId, shopUrl, now);
  await updateProgram(store.db, partner.programId, {
    branding: {
      name: 'Demo Shop',
      headline: 'Alice invited you',
      text: 'Leave your name and email: your welcome gift is waiting.',
      buttonLabel: 'Claim my gift',
      friendRewardText: '€5 off your first order',
    },
    rewards: {
      referrerReward: { type: 'percentage', basisPoints: 1000, maxAmount: 5000 },
      friendReward: { type: 'fixed', amount: 500 },
      confirmationPeriodDays: 14,
      autoApprove: false,
    },
  }, now);
  await ensureReferrer(store.db, partner.programId, DEMO_REFERRER.identifier, now, DEMO_REFERRER.email);
  return partner;
}

/** The shop's port may differ between runs: referral links land on it and it may frame the widget. */
async function pointProgramAt(store: Store, programId: string, shopUrl: string, now: number): Promise<void> {
  await updateProgram(store.db, programId, { landingUrl: `${shopUrl}/`, allowedOrigins: [shopUrl] }, now);
}

export interface RunningDemo {
  server: RunningServer;
  shop: RunningShop;
  partner: DemoPartner;
  close(): Promise<void>;
}

/** The server with demo controls, the seeded data and the shop, running. */
export async function startDemo(config: Config): Promise<RunningDemo> {
  const server = await startServer(config, { demo: true });
  const shopPort = config.port === 0 ? 0 : config.port + 1;
  const partner = await seedDemo(server.store, Date.now(), `http://localhost:${shopPort}`);
  const shop = await startShop({
    offertownUrl: server.url,
    programId: partner.programId,
    apiKey: partner.apiKey,
    referrerIdentifier: DEMO_REFERRER.identifier,
    port: shopPort,
    host: config.host,
  });
  // With port 0 (tests) the shop's URL is known only once it listens: point the program at it now.
  if (shopPort === 0) await pointProgramAt(server.store, partner.programId, shop.url, Date.now());
  return { server, shop, partner, close: async () => { await shop.close(); await server.close(); } };
}

export async function runDemo(config: Config): Promise<void> {
  const { server, shop, partner } = await startDemo(config);
  process.once('exit', () => void shop.close());
  console.log(`
Offertown demo is running.

  Open the demo shop:  ${shop.url}/alice   (Alice's page with her share link)
  Partner dashboard:   ${server.url}/dashboard   (sign in with the API key below)

  Program ID:  ${partner.programId}
  API key:     ${partner.apiKey}   (new on every demo start)
  API docs:    ${server.url}/api/docs
  Database:    ${server.store.location}

Press Ctrl+C to stop.
`);
}

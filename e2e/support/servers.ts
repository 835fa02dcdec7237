/**
 * @module
 * The two origins of every browser test: a real Offertown server (fresh SQLite
 * file, one approved partner) reached as `http://offertown.test:PORT`, and a
 * small shop serving pages reached as `http://shop.test:PORT` or
 * `http://www.shop.test:PORT`. Both listen on 127.0.0.1, free ports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { defaultConfig, type Config } from '../../server/config.ts';
import type { Store } from '../../server/store/connect.ts';
import { openStore } from '../../server/store/open.ts';
import { createPartner, type CreatedPartner } from '../../server/store/partners.ts';

export interface OffertownUnderTest extends CreatedPartner {
  app: FastifyInstance;
  store: Store;
  /** e.g. http://offertown.test:41234 */
  url: string;
  /** GET/POST on the partner API with the partner's key. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** Starts Offertown with an approved partner whose program's landing URL and allowed origins are set by the caller later. */
export async function startOffertown(overrides: Partial<Config> = {}): Promise<OffertownUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'offertown-e2e-'));
  const store = await openStore({ sqliteFile: join(dir, 'offertown.db') });
  const config = defaultConfig({ host: '127.0.0.1', port: 0, ...overrides });
  const app = await buildApp({ config, store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://offertown.test:${port}`;
  const partner = await createPartner(store.db, { name: 'Test Shop', approve: true }, Date.now());
  const api: OffertownUnderTest['api'] = async (path, init = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/partners${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: { 'x-api-key': partner.apiKey, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: response.status, json: await response.json() };
  };
  return {
    ...partner, app, store, url, api,
    close: async () => {
      // The browser keeps connections alive: end them, or close waits for their timeout.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await store.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ShopHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface ShopUnderTest {
  port: number;
  /** `http://<host>:PORT`, host defaulting to shop.test. */
  origin(host?: string): string;
  /** Serve this HTML at this path (later calls replace). */
  page(path: string, html: string): void;
  /** Handle this path with code (e.g. a checkout that calls the API). */
  route(path: string, handler: ShopHandler): void;
  close(): Promise<void>;
}

/** A merchant's site: static pages and handlers on one port, any *.shop.test name. */
export async function startShop(): Promise<ShopUnderTest> {
  const pages = new Map<string, string>();
  const routes = new Map<string, ShopHandler>();
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const handler = routes.get(path);
    if (handler) return void (await handler(request, response));
    const html = pages.get(path);
    if (html === undefined) return void response.writeHead(404).end('not found');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: (host = 'shop.test') => `http://${host}:${port}`,
    page: (path, html) => void pages.set(path, html),
    route: (path, handler) => void routes.set(path, handler),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

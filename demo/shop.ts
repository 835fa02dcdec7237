/**
 * @module
 * The demo shop: a merchant's site on its own origin, wired to Offertown the
 * way a real shop would be. Copy what you need:
 * - every page carries the tracker tag (`/t.js`), which keeps the referral in
 *   a first-party cookie on this shop's domain;
 * - `/invited` embeds the widget iframe for referred friends;
 * - `/signup` is the shop's own form, reporting the friend with
 *   `offertown('identify')`;
 * - `POST /buy` runs on the shop's server: it reads the cookie and reports the
 *   conversion server-to-server with the API key, which never reaches the browser.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { COOKIE, parse } from '../tracker/attribution.ts';

export interface ShopOptions {
  /** Where Offertown runs, as browsers reach it, e.g. http://127.0.0.1:3000 */
  offertownUrl: string;
  programId: string;
  /** The partner API key: server-side only. */
  apiKey: string;
  /** Alice, the demo referrer: the partner's own identifier for her. */
  referrerIdentifier: string;
  port: number;
  host?: string;
}

export interface RunningShop {
  url: string;
  close(): Promise<void>;
}

const PRODUCT = { name: 'Offertown Tea Set', priceCents: 12_999 };
const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Orders of this demo, in memory: a real shop has its own database. */
interface Order { id: string; email: string; referralId: string | null; refundedCents: number }

export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const orders = new Map<string, Order>();
  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${options.offertownUrl}/api/v1/partners${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: { 'x-api-key': options.apiKey, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    }).then(async (response) => ({ status: response.status, json: (await response.json()) as any }));

  const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)} · Demo Shop</title>
<script>window.offertown=window.offertown||function(){(offertown.q=offertown.q||[]).push(arguments)}</script>
<script async src="${options.offertownUrl}/t.js" data-program="${options.programId}"></script>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}
nav{display:flex;gap:1rem;margin-block-end:2rem}button{font:inherit;padding:.5rem 1rem}
.note{background:#eef2ff;padding:.75rem 1rem;border-radius:.5rem}input{font:inherit;padding:.4rem}</style></head>
<body><nav><strong>Demo Shop</strong><a href="/">Shop</a><a href="/alice">Alice's account</a><a href="/invited">Invited by a friend?</a><a href="/signup">Sign up</a></nav>
<p class="note" id="attribution" hidden></p>
${body}
<script>offertown('ready', function (r) { if (!r) return; var n = document.getElementById('attribution');
n.textContent = 'You were referred (code ' + r.code + ', first seen ' + new Date(r.firstSeenAt).toLocaleString() + ').'; n.hidden = false; });</script>
</body></html>`;

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse, form: URLSearchParams) => Promise<void>> = {
    'GET /': async (_req, res) => html(res, page('Shop', `<h1>${PRODUCT.name}</h1><p>${euros(PRODUCT.priceCents)}</p>
<form method="post" action="/buy"><label>Your email <input name="email" type="email" required></label>
<button>Buy now</button></form>`)),

    // A referrer's page in the shop's account area: their share link and what they earned.
    'GET /alice': async (_req, res) => {
      const { status, json } = await api(`/referrers/${encodeURIComponent(options.referrerIdentifier)}`);
      if (status !== 200) throw new Error(`Offertown answered ${status}: ${json.error?.message}`);
      const shareUrl: string = json.shareUrl;
      html(res, page("Alice's account", `<h1>Hi Alice!</h1>
<p>Share your link: friends get a welcome gift, and you earn a reward on their first order.</p>
<p><a id="share-link" href="${escape(shareUrl)}">${escape(shareUrl)}</a></p>
${typeof json.walletBalance === 'number' ? `<p>Your wallet: <strong id="wallet">${euros(json.walletBalance)}</strong></p>` : ''}`));
    },

    'GET /invited': async (_req, res) => html(res, page('Welcome', `<h1>A friend invited you</h1>
<iframe src="${options.offertownUrl}/widget/${options.programId}" title="Referral sign-up" style="width:100%;border:0" height="520"></iframe>`)),

    'GET /signup': async (_req, res) => html(res, page('Sign up', `<h1>Create your account</h1>
<form id="signup"><p><label>Name <input name="name" required></label></p>
<p><label>Email <input name="email" type="email" required></label></p><button>Sign up</button></form>
<p id="welcome" role="status"></p>
<script>document.getElementById('signup').addEventListener('submit', function (e) {
  e.preventDefault(); var f = new FormData(e.target);
  // The shop signs the customer up as usual, and tells Offertown who the referred friend is.
  offertown('identify', { email: f.get('email'), name: f.get('name') }, function (answer) {
    document.getElementById('welcome').textContent = answer && answer.referralId
      ? 'Welcome! Your referral is recorded.' : 'Welcome!';
  });
});</script>`)),

    // The merchant's checkout: server-side, with the API key.
    'POST /buy': async (req, res, form) => {
      const email = form.get('email') ?? '';
      const order: Order = { id: `order_${randomBytes(4).toString('hex')}`, email, referralId: null, refundedCents: 0 };
      const attribution = parse(cookie(req, COOKIE), 90, Date.now());
      // The click ID is the referral; without one, look the friend up by email.
      let referralId = attribution?.clickId ?? null;
      if (!referralId && email) {
        const found = await api(`/referrals?search=${encodeURIComponent(email)}&status=pending`);
        referralId = found.json.referrals?.[0]?.referralId ?? null;
      }
      if (referralId) {
        const converted = await api(`/referrals/${referralId}/convert`, {
          body: { conversionValue: PRODUCT.priceCents, currency: 'EUR', externalTransactionId: order.id },
        });
        if (converted.status < 300) order.referralId = referralId;
      }
      orders.set(order.id, order);
      redirect(res, `/orders/${order.id}`);
    },
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    try {
      const form = req.method === 'POST' ? new URLSearchParams(await body(req)) : url.searchParams;
      const order = /^\/orders\/(order_[0-9a-f]+)(\/refund)?$/.exec(url.pathname);
      if (order) return void (await orderRoute(req, res, orders.get(order[1]!), Boolean(order[2]), form));
      const route = routes[`${req.method} ${url.pathname}`];
      if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      await route(req, res, form);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`The demo shop failed: ${(error as Error).message}`);
    }
  });

  async function orderRoute(req: IncomingMessage, res: ServerResponse, order: Order | undefined, refund: boolean, form: URLSearchParams) {
    if (!order) return void res.writeHead(404).end('No such order');
    if (refund && req.method === 'POST') {
      // A refund on the shop's side claws the referral reward back in proportion.
      const amount = Math.min(Number(form.get('amount')) || 0, PRODUCT.priceCents - order.refundedCents);
      if (order.referralId && amount > 0) {
        const refunded = await api(`/referrals/${order.referralId}/refunds`, {
          body: { amount, idempotencyKey: `${order.id}-refund-${order.refundedCents}` },
        });
        if (refunded.status >= 300) throw new Error(`Offertown answered ${refunded.status}: ${refunded.json.error?.message}`);
        order.refundedCents += amount;
      }
      return redirect(res, `/orders/${order.id}`);
    }
    html(res, page('Thank you', `<h1>Thank you for your order</h1>
<p>Order <code id="order-id">${order.id}</code>: ${PRODUCT.name}, ${euros(PRODUCT.priceCents)}.</p>
<p id="credited">${order.referralId ? `The friend who referred you gets a reward (referral <code>${order.referralId}</code>).` : 'No referral was found for this order.'}</p>
${order.refundedCents ? `<p id="refunded">Refunded: ${euros(order.refundedCents)}</p>` : ''}
<form method="post" action="/orders/${order.id}/refund"><input type="hidden" name="amount" value="${Math.floor(PRODUCT.priceCents / 2)}">
<button>Refund half of this order</button></form>`));
  }

  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function html(res: ServerResponse, markup: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(markup);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location }).end();
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  return req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8').on('data', (chunk: string) => {
      data += chunk;
      if (data.length > 10_000) req.destroy(new Error('body too large'));
    }).on('end', () => resolve(data)).on('error', reject);
  });
}

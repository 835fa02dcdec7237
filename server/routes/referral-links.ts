/**
 * @module
 * `GET /r/{code}`: a referrer's share link. A person's click is recorded as
 * a referral in status `clicked` (one per visitor and hour) and answered 302
 * to the program's landing URL with `ref` and `ot_click` added; the link's
 * own query (UTM parameters) is kept. `?to=` may pick another page, but only
 * on one of the program's origins: never an open redirect.
 *
 * Link previews, crawlers and HEAD requests get the same redirect and record
 * nothing. An unknown code gets a small friendly page, never an error.
 *
 * The server keeps its own first-touch cookie (`ot_<programId>`, path /r):
 * a later link of the same program still sends the friend on with the first
 * referrer's code. Attribution never depends on it; the shop's first-party
 * cookie (tracker) is what carries it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isbot } from 'isbot';
import type { Program } from '../../contract/program.ts';
import { CODE, DAY_MS, format, type Attribution } from '../../tracker/attribution.ts';
import { readAttribution } from '../../tracker/read-cookie.ts';
import type { RouteDeps } from '../app.ts';
import { clickShareLink, findShareLink } from '../store/public-referrals.ts';
import { programOrigins } from './public-referrals.ts';

/** Query parameters the link sets itself rather than passing on. */
const LINK_PARAMS = new Set(['to', 'ref', 'ot_click']);

/**
 * Where a link of this program may send a friend: `to` when it is on one of
 * the program's origins (landing page's and allowed embedding origins), else
 * the landing URL, else the first allowed origin. Null when the program has
 * none of them yet.
 * @example landingTarget(program, '/shoes?size=42') // URL https://shop.example/shoes?size=42
 */
export function landingTarget(program: Program, to: string | null): URL | null {
  const origins = programOrigins(program);
  const base = program.landingUrl ?? (origins[0] ? `${origins[0]}/` : null);
  if (!base) return null;
  if (to) {
    try {
      const url = new URL(to, base);
      // Resolving against the landing URL turns '//evil.example' and 'https://evil.example' into foreign origins.
      if (origins.includes(url.origin)) return url;
    } catch {}
  }
  return new URL(base);
}

export async function referralLinkRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { config, store, clock } = deps;
  const httpsByConfig = config.publicUrl?.startsWith('https:') ?? false;
  // Beyond the limit friends are still redirected; their clicks are just not recorded.
  const limit = config.linkClickLimit === 0 ? null
    : app.createRateLimit({ max: config.linkClickLimit, timeWindow: 60_000, keyGenerator: (request) => `link:${request.ip}` });

  app.get<{ Params: { code: string } }>('/r/:code', { schema: { hide: true } }, async (request, reply) => {
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow');
    const code = request.params.code.toLowerCase();
    if (!CODE.test(code)) return unknownLink(reply);

    const agent = request.headers['user-agent'] ?? '';
    let person = request.method === 'GET' && agent !== '' && !isbot(agent);
    if (person && limit) {
      // A counter that failed records the click: the friend is redirected either way.
      const check = await limit(request).catch(() => ({ isAllowed: true, isExceeded: false }));
      person = check.isAllowed || !check.isExceeded;
    }
    const now = clock.now();
    const found = person
      ? await clickShareLink(store.db, code, deps.visitorHash(request), now)
      : await findShareLink(store.db, code).then((link) => link && { link, click: null });
    if (!found) return unknownLink(reply);

    const { program } = found.link;
    const query = new URL(request.url, 'http://link').searchParams;
    const target = landingTarget(program, query.get('to'));
    if (!target) return notReady(reply);

    const cookie = `ot_${program.programId}`;
    const first = person ? readAttribution(request.headers.cookie, { name: cookie, windowDays: program.attributionWindowDays, now }) : null;
    const touch: Attribution = first ?? { code, clickId: found.click?.clickId ?? null, firstSeenAt: now };
    if (person && !first) {
      const https = request.protocol === 'https' || httpsByConfig;
      reply.header('set-cookie', `${cookie}=${format(touch)}; Path=/r; Max-Age=${(program.attributionWindowDays * DAY_MS) / 1000}; HttpOnly; `
        + (https ? 'Secure; SameSite=None; Partitioned' : 'SameSite=Lax'));
    }

    for (const [name, value] of query) if (!LINK_PARAMS.has(name)) target.searchParams.set(name, value);
    target.searchParams.set('ref', touch.code);
    if (touch.clickId) target.searchParams.set('ot_click', touch.clickId);
    else target.searchParams.delete('ot_click');
    return reply.redirect(target.href, 302);
  });
}

const unknownLink = (reply: FastifyReply) =>
  page(reply, 404, 'This referral link doesn’t work', 'It may have been copied incompletely, or the program has ended. Ask the friend who shared it for a new link.');

const notReady = (reply: FastifyReply) =>
  page(reply, 200, 'Almost there', 'This referral link is valid, but the shop hasn’t finished setting it up yet. Please try again a little later.');

/** A small page of its own (no scripts, no external resources) for a friend whose link cannot be followed. */
function page(reply: FastifyReply, status: number, title: string, text: string) {
  return reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
      + `<meta name="robots" content="noindex"><title>${title}</title>`
      + '<style>body{font:17px/1.5 system-ui,sans-serif;max-width:34rem;margin:18vh auto;padding:0 1.5rem;color:#222}h1{font-size:1.5rem}</style>'
      + `<h1>${title}</h1><p>${text}</p></html>`);
}

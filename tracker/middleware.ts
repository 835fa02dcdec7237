/**
 * @module
 * The server-set cookie endpoint as Node middleware, for the merchant's own
 * server. Safari keeps a cookie written by a script for 7 days at most; one
 * set with `Set-Cookie` by the site's own server keeps the program's whole
 * window. Mount it, then add `data-cookie-path="/ot"` to the tracker's
 * `<script>`: after storing a new first touch, the tracker POSTs it here and
 * this answers with the same cookie in `Set-Cookie`.
 *
 * The Offertown server answers the same request at its own `/ot`, for shops
 * that forward a path to it from a reverse proxy instead (docs/tracker.md).
 *
 * @example Express or Connect
 * app.use(attributionCookie());
 * @example node:http
 * const ot = attributionCookie();
 * createServer((req, res) => ot(req, res, () => shop(req, res)));
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COOKIE, DAY_MS, format, parse, WINDOW_DAYS, type Attribution } from './attribution.ts';
import { readAttribution } from './read-cookie.ts';

/** What the tracker posts (JSON, sent as text/plain). */
export interface CookieRequestBody {
  /** The program ID (the Offertown server uses it to find the window). */
  p?: string;
  /** The cookie value the tracker stored. */
  v?: string;
  /** The registrable domain the tracker found; '' or absent for a host-only cookie. */
  d?: string;
}

export interface CookieRequest {
  body: CookieRequestBody;
  /** The `Origin` header: the page's real scheme and host, whatever proxies sit between. */
  origin: string | undefined;
  /** The `Cookie` header: an unexpired first touch there wins over the posted one. */
  cookie: string | undefined;
}

export type CookieAnswer = { status: 204; setCookie: string; attribution: Attribution } | { status: 400; error: string };

/** Bigger bodies are not the tracker's. */
const MAX_BODY_BYTES = 2048;

/**
 * The tracker's JSON body, or null. Accepts the raw text or an object a body
 * parser made already.
 */
export function cookieRequestBody(raw: unknown): CookieRequestBody | null {
  let body = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    try {
      body = JSON.parse(raw.toString());
    } catch {
      return null;
    }
  }
  if (typeof body !== 'object' || body === null) return null;
  const { p, v, d } = body as Record<string, unknown>;
  const text = (x: unknown) => x === undefined || typeof x === 'string';
  return text(p) && text(v) && text(d) ? { p: p as string | undefined, v: v as string | undefined, d: d as string | undefined } : null;
}

/**
 * The `Set-Cookie` header that stores the attribution on the page's domain
 * for what is left of the window, or why not. First touch holds here too:
 * a valid cookie the browser sent wins over the posted value.
 * @example attributionSetCookie({ body: { v: 'a1b2c3d4..1765467600000', d: 'shop.example' }, origin: 'https://www.shop.example', cookie: undefined }, 90, 1765467600000)
 * // { status: 204, setCookie: 'ot_ref=a1b2c3d4..1765467600000; Path=/; Max-Age=7776000; SameSite=Lax; Domain=shop.example; Secure', … }
 */
export function attributionSetCookie(request: CookieRequest, windowDays: number, now: number): CookieAnswer {
  let page: URL;
  try {
    page = new URL(request.origin ?? '');
  } catch {
    return { status: 400, error: 'An Origin header is required' };
  }
  if (page.protocol !== 'https:' && page.protocol !== 'http:') return { status: 400, error: 'An Origin header is required' };
  const domain = (request.body.d ?? '').toLowerCase();
  // The browser refuses a Domain its page is not in anyway; refusing here keeps the answer honest.
  if (domain && !(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) && (page.hostname === domain || page.hostname.endsWith(`.${domain}`)))) {
    return { status: 400, error: 'The domain is not the page\'s' };
  }
  const attribution = readAttribution(request.cookie, { windowDays, now }) ?? parse(request.body.v, windowDays, now);
  if (!attribution) return { status: 400, error: 'No valid attribution' };
  const maxAge = Math.floor((attribution.firstSeenAt + windowDays * DAY_MS - now) / 1000);
  const setCookie = `${COOKIE}=${format(attribution)}; Path=/; Max-Age=${maxAge}; SameSite=Lax`
    + (domain ? `; Domain=${domain}` : '')
    + (page.protocol === 'https:' ? '; Secure' : '');
  return { status: 204, setCookie, attribution };
}

export interface MiddlewareOptions {
  /** The path the tracker's `data-cookie-path` names. Default `/ot`. */
  path?: string;
  /** Your program's attribution window in days. Default 90. */
  windowDays?: number;
  /** The clock, for tests. */
  now?: () => number;
}

type Request = IncomingMessage & { body?: unknown; originalUrl?: string };
type Next = (error?: unknown) => void;

/**
 * Middleware answering `POST <path>` from the tracker; any other request goes
 * to `next`. Works with a body parser in front of it or without one.
 */
export function attributionCookie(options: MiddlewareOptions = {}): (req: Request, res: ServerResponse, next: Next) => void {
  const { path = '/ot', windowDays = WINDOW_DAYS, now = Date.now } = options;
  return (req, res, next) => {
    const url = req.originalUrl ?? req.url ?? '';
    if (req.method !== 'POST' || url.split('?')[0] !== path) return next();
    readBody(req).then((raw) => {
      const body = cookieRequestBody(raw);
      const answer: CookieAnswer = body
        ? attributionSetCookie({ body, origin: req.headers.origin, cookie: req.headers.cookie }, windowDays, now())
        : { status: 400, error: 'The body must be the tracker\'s JSON' };
      res.statusCode = answer.status;
      res.setHeader('cache-control', 'no-store');
      if (answer.status === 204) return void res.setHeader('set-cookie', answer.setCookie).end();
      res.setHeader('content-type', 'text/plain; charset=utf-8').end(answer.error);
    }, next);
  };
}

/** The request's body: what a body parser left (when it understood text/plain), else the stream, up to MAX_BODY_BYTES. */
function readBody(req: Request): Promise<unknown> {
  // Express's JSON parser leaves {} for a text/plain body it did not read.
  const parsed = req.body;
  if (typeof parsed === 'string' || (typeof parsed === 'object' && parsed !== null && 'v' in parsed)) return Promise.resolve(parsed);
  if (req.readableEnded) return Promise.resolve(parsed);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Offertown's tracker, served as `/t.js`:
 *
 *   <script async src="https://<server>/t.js" data-program="pub_…"></script>
 *
 * It keeps a referral's attribution (share code, click ID, first-seen time)
 * in a first-party cookie on the shop's registrable domain for the program's
 * window; the first touch wins. It reports clicks of links that skipped `/r/`,
 * hands the attribution to Offertown widget iframes and sizes them, and
 * answers `offertown(command, …)`, replaying calls queued before it loaded.
 *
 * Attributes: `data-program` (required); `data-params="via,…"` more query
 * parameters that may hold a code; `data-window="90"` the program's window in
 * days; `data-cookie-path="/ot"` a same-origin endpoint that re-sets the
 * cookie with Set-Cookie (Safari keeps script-set cookies 7 days at most);
 * `data-consent="required"`; `data-gpc="ignore"`. See docs/tracker.md.
 *
 * Short names are for the minifier. Every entry point is wrapped in
 * try/catch: the tracker never throws into the host page. Cookies go through
 * `document.cookie` directly: with js-cookie, t.js measured 2073 B gzipped
 * against 1521 B without, over the 1536 B budget.
 */
import { CLICK, CODE, COOKIE, format, parse, WINDOW_DAYS, type Attribution } from './attribution.ts';

type Api = ((command: string, arg?: unknown, cb?: (answer: unknown) => unknown) => unknown) & { q?: IArguments[] };
type Friend = { email: string; name?: string };

declare global {
  interface Window { offertown?: Api }
  interface Navigator { globalPrivacyControl?: boolean }
}

const w = window, d = document, l = location;
const noop = () => {};

/** The first touch: from the cookie, else from a URL seen here. Memory only until it can be stored. */
let A: Attribution | null = null;
/** A code whose click must still be reported: the visitor came with ?ref= but without ot_click. */
let B = '';
/** Storing and reporting are allowed: not before consent when the site requires it or the browser sends GPC. */
let ok = false;
/** The last query string read, so SPA navigations within a page don't count twice. */
let last: string;
/** The registrable domain, once probed ('' for host-only). */
let D: string | undefined;
let ds: DOMStringMap, O: string, U: string, days: number, names: string[];

/** POSTs JSON as text/plain: a simple request (no CORS preflight), kept alive past unload. */
const send = (u: string, b: object) => fetch(u, { method: 'POST', body: JSON.stringify(b), keepalive: true });

/** Runs `f` for each Offertown widget iframe of this tracker's server. */
const widgets = (f: (frame: HTMLIFrameElement) => unknown) =>
  d.querySelectorAll('iframe').forEach((e) => e.src.indexOf(O + '/widget/') || f(e));

const post = (f: HTMLIFrameElement) => A && f.contentWindow!.postMessage({ type: 'offertown:attribution', ...A }, O);

/** A cookie's value, if set. */
const get = (k: string) => (d.cookie.match('(?:^|; )' + k + '=([^;]*)') || [])[1];

/** Sets a cookie for `e` seconds (0 deletes it) on domain `c` (none: host-only). */
const set = (k: string, v: string, e: number, c?: string) =>
  (d.cookie = k + '=' + v + ';path=/;max-age=' + e + (c ? ';domain=' + c : '') + ';samesite=lax' + (l.protocol == 'https:' ? ';secure' : ''));

/**
 * Sets the attribution cookie on the highest domain the browser accepts,
 * found as PostHog does: a probe cookie from the top down, so public suffixes
 * are skipped without a list. Host-only on IP addresses and single-label hosts
 * (localhost).
 */
const put = (v: string, e: number) => {
  if (D == null) {
    const h = l.hostname, p = h.split('.');
    D = '';
    if (!/^[\d.]+$|:/.test(h)) {
      for (let i = p.length - 2; i >= 0 && !D; i--) {
        const c = p.slice(i).join('.');
        set('ot_probe', '1', 9, c);
        if (get('ot_probe')) set('ot_probe', '', 0, c), (D = c);
      }
    }
  }
  set(COOKIE, v, e, D);
};

/** Stores the first touch and reports a click, once allowed. */
const flush = () => {
  if (ok && A) {
    const v = format(A);
    if (get(COOKIE) != v) {
      put(v, days * 864e2);
      if (ds.cookiePath) send(ds.cookiePath, { p: ds.program, v, d: D }).catch(noop);
    }
    if (B) {
      const b = { code: B };
      B = '';
      // A beacon survives the visitor leaving at once; it is refused when the browser's queue is full.
      navigator.sendBeacon(U + 'clicks', JSON.stringify(b)) || send(U + 'clicks', b).catch(noop);
    }
  }
};

/** Reads the current URL: on load and after every history navigation. */
const see = () => {
  try {
    if (l.search != last) {
      const q = new URLSearchParams((last = l.search));
      const c = names.map((k) => (q.get(k) || '').toLowerCase()).find((v) => CODE.test(v));
      const k = q.get('ot_click'), i = k && CLICK.test(k) ? k : null;
      if (c) {
        if (!i) B = c;
        if (!A) (A = { code: c, clickId: i, firstSeenAt: Date.now() }), widgets(post);
        flush();
      }
    }
  } catch {}
};

const api: Api = (c, x, cb) => {
  try {
    const r = A && { ...A };
    if (c == 'ready') (x as (referral: Attribution | null) => void)(r);
    if (c == 'referral') return r;
    if (c == 'consent') (ok = !!x) ? flush() : put('', 0);
    // Resolves to the server's answer (null without attribution; undefined when the network failed), or cb's result.
    if (c == 'identify') {
      const f = x as Friend;
      return Promise.resolve(
        A && send(U + 'referrals', { friendEmail: f.email, friendName: f.name || f.email, code: A.code, clickId: A.clickId || undefined }).then((r) => r.json()),
      ).then(cb).catch(noop);
    }
  } catch {}
};

try {
  // Set while a classic script (async too) first runs; some loaders run it otherwise.
  const s = (d.currentScript || d.querySelector('script[data-program]')) as HTMLScriptElement;
  ds = s.dataset;
  O = new URL(s.src).origin;
  U = O + '/api/public/programs/' + ds.program + '/';
  days = +ds.window! || WINDOW_DAYS;
  names = (ds.params + ',ref').split(/[\s,]+/); // "undefined" when absent: a harmless name
  ok = ds.consent != 'required' && !(navigator.globalPrivacyControl && ds.gpc != 'ignore');
  try {
    A = parse(get(COOKIE), days, Date.now());
  } catch {} // cookies unreadable: attribution lives for this page view
  // Widgets that loaded before us may have asked already.
  widgets(post);
  see();
  const h = history, o = h.pushState;
  h.pushState = function (...a) {
    const r = o.apply(this, a);
    see();
    return r;
  };
  w.addEventListener('popstate', see);
  w.addEventListener('message', (e) => {
    try {
      const m = e.data, y = m.height;
      // Only from the server's origin and only from one of its widget iframes (iframe-resizer's rule).
      if (e.origin == O) {
        widgets((f) => {
          if (f.contentWindow == e.source) {
            if (m.type == 'offertown:ready') post(f);
            if (m.type == 'offertown:height' && y >= 0 && y < 1e4) f.style.height = y + 'px';
          }
        });
      }
    } catch {}
  });
} catch {}

// Calls made before we loaded wait in the stub's queue; run them now the URL is read.
const q = (w.offertown && w.offertown.q) || [];
w.offertown = api;
for (const a of q) api.apply(0, a as unknown as Parameters<Api>);

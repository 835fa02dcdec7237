/**
 * The tracker as a visitor's browser runs it (happy-dom): each test sets the
 * page's URL, loads `index.ts` afresh as if from
 * `<script src="https://offertown.test/t.js" data-program=…>`, and looks at
 * the cookies written, the requests sent and the messages posted. Every test
 * uses a host of its own, so cookies never leak between tests.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COOKIE, DAY_MS } from './attribution.ts';

const SERVER = 'https://offertown.test';
const PROGRAM = 'pub_3f9a1c7e5b2d8a64';
const CLICK_ID = 'ref_9f86d081884c7d65';
const api = (...args: unknown[]) => (window.offertown as (...a: unknown[]) => any)(...args);

let host = 0;
/** A fresh registrable domain for this test: `shopN.co.uk`. */
const shop = (path = '/', sub = 'www') => `https://${sub ? `${sub}.` : ''}shop${++host}.co.uk${path}`;

const cookieProperty = (() => {
  for (let proto = Object.getPrototypeOf(document); proto; proto = Object.getPrototypeOf(proto)) {
    const property = Object.getOwnPropertyDescriptor(proto, 'cookie');
    if (property) return property;
  }
  throw new Error('no document.cookie');
})();

/** Every `document.cookie = …` the tracker wrote, probes included. */
let writes: string[] = [];
const attributionWrites = () => writes.filter((w) => w.startsWith(`${COOKIE}=`));
const cookie = () => /(?:^|; )ot_ref=([^;]*)/.exec(document.cookie)?.[1];

let listeners: Array<[string, EventListenerOrEventListenerObject]> = [];
const pushState = history.pushState;
const addEventListener = window.addEventListener;
let beacon: ReturnType<typeof vi.fn>;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  writes = [];
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookieProperty.get!.call(document),
    set: (value: string) => { writes.push(value); cookieProperty.set!.call(document, value); },
  });
  window.addEventListener = function (this: Window, type: string, listener: EventListenerOrEventListenerObject, options?: unknown) {
    listeners.push([type, listener]);
    return addEventListener.call(this, type, listener, options as AddEventListenerOptions);
  } as typeof window.addEventListener;
  beacon = vi.fn(() => true);
  Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: beacon });
  fetchMock = vi.fn(async () => new Response(JSON.stringify({ referralId: 'ref_0000000000000001', status: 'pending', idempotent: false })));
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  for (const [type, listener] of listeners) window.removeEventListener(type, listener);
  listeners = [];
  window.addEventListener = addEventListener;
  history.pushState = pushState;
  delete window.offertown;
  delete (document as { cookie?: string }).cookie;
  delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

/** Loads the tracker on `url` with these `data-*` attributes, after `before` (e.g. the queue stub). */
async function load(url: string, attributes: Record<string, string> = {}): Promise<void> {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  const script = document.createElement('script');
  script.src = `${SERVER}/t.js`;
  script.setAttribute('data-program', PROGRAM);
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(`data-${name}`, value);
  Object.defineProperty(document, 'currentScript', { configurable: true, value: script });
  vi.resetModules();
  await import('./index.ts');
  delete (document as { currentScript?: unknown }).currentScript;
}

/** The merchant's snippet that queues calls made before /t.js has loaded. */
function installStub(): void {
  const stub = Object.assign((...args: unknown[]) => { (stub.q ??= []).push(args as unknown as IArguments); }, { q: undefined as IArguments[] | undefined });
  window.offertown = stub;
}

describe('reading the landing URL', () => {
  it('keeps the code, click ID and first-seen time of ?ref= and ot_click', async () => {
    const before = Date.now();
    await load(shop(`/landing?utm_source=x&ref=a1b2c3d4&ot_click=${CLICK_ID}`));
    const referral = api('referral');
    expect(referral).toMatchObject({ code: 'a1b2c3d4', clickId: CLICK_ID });
    expect(referral.firstSeenAt).toBeGreaterThanOrEqual(before);
    expect(cookie()).toBe(`a1b2c3d4.${CLICK_ID}.${referral.firstSeenAt}`);
  });

  it('accepts a code typed in capitals, since share codes are lower-case', async () => {
    await load(shop('/?ref=A1B2C3D4'));
    expect(api('referral').code).toBe('a1b2c3d4');
  });

  it.each([
    ['too short', 'a1b2c3'],
    ['too long', 'a1b2c3d4e'],
    ['markup', '<script>'],
    ['a dot, which would break the cookie', 'a1b2.3d4'],
    ['empty', ''],
  ])('ignores a code that is %s', async (_, code) => {
    await load(shop(`/?ref=${encodeURIComponent(code)}`));
    expect(api('referral')).toBeNull();
    expect(attributionWrites()).toEqual([]);
    expect(beacon).not.toHaveBeenCalled();
  });

  it('drops a click ID of the wrong shape but keeps the code', async () => {
    await load(shop('/?ref=a1b2c3d4&ot_click=ref_123;x=1'));
    expect(api('referral')).toMatchObject({ code: 'a1b2c3d4', clickId: null });
  });

  it('reads the extra parameter names given in data-params', async () => {
    await load(shop('/?via=k3m9x2p4'), { params: 'via, partner' });
    expect(api('referral').code).toBe('k3m9x2p4');
  });

  it('stores nothing on a page without a code', async () => {
    await load(shop('/products'));
    expect(api('referral')).toBeNull();
    expect(writes).toEqual([]);
  });
});

describe('first touch and expiry', () => {
  it('never replaces an unexpired cookie with a later link', async () => {
    const url = shop('/?ref=a1b2c3d4');
    await load(url);
    const first = api('referral');
    await load(url.replace('a1b2c3d4', 'zzzz9999'));
    expect(api('referral')).toEqual(first);
    expect(cookie()).toBe(`a1b2c3d4..${first.firstSeenAt}`);
  });

  it('sets the cookie for the window: 90 days unless data-window says otherwise', async () => {
    await load(shop('/?ref=a1b2c3d4'));
    expect(attributionWrites()[0]).toContain(`;max-age=${90 * 86400};`);
    writes = [];
    await load(shop('/?ref=a1b2c3d4'), { window: '30' });
    expect(attributionWrites()[0]).toContain(`;max-age=${30 * 86400};`);
  });

  it('lets a new link win once the first touch is older than the window', async () => {
    const url = shop('/?ref=zzzz9999');
    const old = Date.now() - 31 * DAY_MS;
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
    document.cookie = `ot_ref=a1b2c3d4..${old};path=/`;
    await load(url, { window: '30' });
    expect(api('referral').code).toBe('zzzz9999');
  });

  it('treats a tampered cookie as absent', async () => {
    const url = shop('/?ref=zzzz9999');
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
    document.cookie = 'ot_ref=<b>..1765467600000;path=/';
    await load(url);
    expect(api('referral').code).toBe('zzzz9999');
  });

  it('works with cookies blocked: the attribution lives for the page view', async () => {
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => { throw new DOMException('blocked', 'SecurityError'); }, set: () => { throw new DOMException('blocked', 'SecurityError'); } });
    await load(shop(`/?ref=a1b2c3d4&ot_click=${CLICK_ID}`));
    expect(api('referral')).toMatchObject({ code: 'a1b2c3d4', clickId: CLICK_ID });
  });
});

describe('the cookie domain', () => {
  const domainOf = () => /;domain=([^;]+)/.exec(attributionWrites()[0] ?? '')?.[1];

  it('is the registrable domain, found by probing past the public suffix', async () => {
    const url = shop('/?ref=a1b2c3d4', 'www');
    await load(url);
    const registrable = new URL(url).hostname.replace(/^www\./, '');
    // co.uk is refused, the shop's own domain accepted, and the probe cleaned up.
    expect(writes.filter((w) => w.startsWith('ot_probe=1')).map((w) => /domain=([^;]+)/.exec(w)?.[1])).toEqual(['co.uk', registrable]);
    expect(domainOf()).toBe(registrable);
    expect(attributionWrites()[0]).toMatch(/;samesite=lax;secure$/);
  });

  it('is shared by www. and the bare domain', async () => {
    const url = shop('/?ref=a1b2c3d4', 'www');
    await load(url);
    const first = api('referral');
    await load(url.replace('://www.', '://').replace('a1b2c3d4', 'zzzz9999'));
    expect(api('referral')).toEqual(first);
  });

  it.each([['an IP address', 'http://127.0.0.1:8080/?ref=a1b2c3d4'], ['localhost', 'http://localhost:5173/?ref=a1b2c3d4']])(
    'is left out on %s (a host-only cookie), without Secure over http',
    async (_, url) => {
      await load(url);
      expect(writes.filter((w) => w.startsWith('ot_probe'))).toEqual([]);
      expect(attributionWrites()[0]).toMatch(/^ot_ref=a1b2c3d4\.\.\d{13};path=\/;max-age=7776000;samesite=lax$/);
    },
  );
});

describe('reporting clicks', () => {
  it('beacons a click when the visitor came straight to the shop with ?ref=', async () => {
    await load(shop('/?ref=a1b2c3d4'));
    expect(beacon).toHaveBeenCalledWith(`${SERVER}/api/public/programs/${PROGRAM}/clicks`, '{"code":"a1b2c3d4"}');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('falls back to fetch with keepalive when the beacon is refused', async () => {
    beacon.mockReturnValue(false);
    await load(shop('/?ref=a1b2c3d4'));
    expect(fetchMock).toHaveBeenCalledWith(`${SERVER}/api/public/programs/${PROGRAM}/clicks`, { method: 'POST', body: '{"code":"a1b2c3d4"}', keepalive: true });
  });

  it('does not report a click the referral link recorded already', async () => {
    await load(shop(`/?ref=a1b2c3d4&ot_click=${CLICK_ID}`));
    expect(beacon).not.toHaveBeenCalled();
  });

  it('asks the same-origin endpoint of data-cookie-path to set the cookie with Set-Cookie', async () => {
    const url = shop(`/?ref=a1b2c3d4&ot_click=${CLICK_ID}`);
    await load(url, { 'cookie-path': '/ot' });
    const { firstSeenAt } = api('referral');
    expect(fetchMock).toHaveBeenCalledWith('/ot', {
      method: 'POST',
      body: JSON.stringify({ p: PROGRAM, v: `a1b2c3d4.${CLICK_ID}.${firstSeenAt}`, d: new URL(url).hostname.slice(4) }),
      keepalive: true,
    });
  });
});

describe('consent', () => {
  it('with data-consent="required", stores and reports nothing until consent, then both', async () => {
    await load(shop('/?ref=a1b2c3d4'), { consent: 'required' });
    expect(api('referral').code).toBe('a1b2c3d4');
    expect(writes).toEqual([]);
    expect(beacon).not.toHaveBeenCalled();
    api('consent', true);
    expect(cookie()).toMatch(/^a1b2c3d4\.\.\d{13}$/);
    expect(beacon).toHaveBeenCalledTimes(1);
  });

  it('deletes the cookie when consent is withdrawn', async () => {
    await load(shop('/?ref=a1b2c3d4'));
    api('consent', false);
    expect(attributionWrites().at(-1)).toMatch(/^ot_ref=;path=\/;max-age=0;domain=/);
  });

  it('honours Global Privacy Control like a missing consent', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
    await load(shop('/?ref=a1b2c3d4'));
    expect(writes).toEqual([]);
    expect(beacon).not.toHaveBeenCalled();
    expect(api('referral').code).toBe('a1b2c3d4');
  });

  it('ignores Global Privacy Control when the site says so with data-gpc="ignore"', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
    await load(shop('/?ref=a1b2c3d4'), { gpc: 'ignore' });
    expect(cookie()).toMatch(/^a1b2c3d4\./);
  });

  it('a consent queued before the script loaded applies to the landing', async () => {
    installStub();
    api('consent', true);
    await load(shop('/?ref=a1b2c3d4'), { consent: 'required' });
    expect(cookie()).toMatch(/^a1b2c3d4\./);
  });
});

describe('the JS API', () => {
  it('runs calls queued before it loaded, after reading the URL', async () => {
    installStub();
    const ready = vi.fn();
    api('ready', ready);
    await load(shop(`/?ref=a1b2c3d4&ot_click=${CLICK_ID}`));
    expect(ready).toHaveBeenCalledWith(expect.objectContaining({ code: 'a1b2c3d4', clickId: CLICK_ID }));
    const later = vi.fn();
    api('ready', later);
    expect(later).toHaveBeenCalledWith(expect.objectContaining({ code: 'a1b2c3d4' }));
  });

  it('hands out a copy, so the page cannot change the attribution', async () => {
    await load(shop('/?ref=a1b2c3d4'));
    api('referral').code = 'zzzz9999';
    expect(api('referral').code).toBe('a1b2c3d4');
  });

  it('identify creates a pending referral through the public endpoint, with the code and click', async () => {
    await load(shop(`/?ref=a1b2c3d4&ot_click=${CLICK_ID}`));
    const answer = await api('identify', { email: 'ana@example.com', name: 'Ana' });
    expect(fetchMock).toHaveBeenCalledWith(`${SERVER}/api/public/programs/${PROGRAM}/referrals`, {
      method: 'POST',
      body: JSON.stringify({ friendEmail: 'ana@example.com', friendName: 'Ana', code: 'a1b2c3d4', clickId: CLICK_ID }),
      keepalive: true,
    });
    expect(answer).toMatchObject({ status: 'pending' });
  });

  it('identify without attribution sends nothing and resolves to null; a callback gets the answer', async () => {
    await load(shop('/'));
    const cb = vi.fn();
    expect(await api('identify', { email: 'ana@example.com' }, cb)).toBeUndefined();
    expect(cb).toHaveBeenCalledWith(null);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('identify resolves, never rejects, when the network fails', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    await load(shop('/?ref=a1b2c3d4&ot_click=' + CLICK_ID));
    await expect(api('identify', { email: 'ana@example.com', name: 'Ana' })).resolves.toBeUndefined();
  });
});

describe('single-page apps', () => {
  it('reads ?ref= after a history navigation', async () => {
    await load(shop('/'));
    history.pushState({}, '', '/welcome?ref=a1b2c3d4');
    expect(api('referral').code).toBe('a1b2c3d4');
    expect(beacon).toHaveBeenCalledTimes(1);
    history.pushState({}, '', '/welcome?ref=a1b2c3d4');
    expect(beacon).toHaveBeenCalledTimes(1);
  });
});

describe('never throwing into the page', () => {
  it('loads without a script element (e.g. pasted into a console) and still answers', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(shop('/?ref=a1b2c3d4'));
    vi.resetModules();
    await expect(import('./index.ts')).resolves.toBeDefined();
    expect(api('referral')).toBeNull();
  });

  it('finds its script element by data-program when document.currentScript is not set', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(shop('/?ref=a1b2c3d4'));
    document.body.innerHTML = `<script type="text/plain" src="${SERVER}/t.js" data-program="${PROGRAM}"></script>`;
    vi.resetModules();
    await import('./index.ts');
    expect(api('referral').code).toBe('a1b2c3d4');
    expect(beacon).toHaveBeenCalledWith(`${SERVER}/api/public/programs/${PROGRAM}/clicks`, '{"code":"a1b2c3d4"}');
  });

  it('swallows a throwing ready callback and an unknown command', async () => {
    await load(shop('/'));
    expect(() => api('ready', () => { throw new Error('merchant bug'); })).not.toThrow();
    expect(() => api('nonsense', 1)).not.toThrow();
    expect(() => api('identify')).not.toThrow();
  });
});

describe('widget iframes', () => {
  function widget(src = `${SERVER}/widget/${PROGRAM}`): { frame: HTMLIFrameElement; posted: ReturnType<typeof vi.fn> } {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<p>widget</p>'; // happy-dom loads no remote pages; srcdoc keeps it from trying
    frame.src = src;
    document.body.appendChild(frame);
    // happy-dom loads no iframe pages: each frame gets a window of its own that records what it is sent.
    const posted = vi.fn();
    Object.defineProperty(frame, 'contentWindow', { value: { postMessage: posted } });
    return { frame, posted };
  }
  const message = (data: unknown, origin: string, source: unknown) =>
    window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as MessageEventSource }));

  it('answers a widget\'s ready with the attribution, posted to the server\'s origin only', async () => {
    await load(shop(`/?ref=a1b2c3d4&ot_click=${CLICK_ID}`));
    const { frame, posted } = widget();
    message({ type: 'offertown:ready' }, SERVER, frame.contentWindow);
    expect(posted).toHaveBeenCalledWith({ type: 'offertown:attribution', code: 'a1b2c3d4', clickId: CLICK_ID, firstSeenAt: expect.any(Number) }, SERVER);
  });

  it('tells widgets that loaded before the tracker', async () => {
    const { posted } = widget();
    await load(shop('/?ref=a1b2c3d4'));
    expect(posted).toHaveBeenCalledWith(expect.objectContaining({ type: 'offertown:attribution', code: 'a1b2c3d4' }), SERVER);
  });

  it('resizes the widget that asked', async () => {
    await load(shop('/'));
    const { frame } = widget();
    message({ type: 'offertown:height', height: 480 }, SERVER, frame.contentWindow);
    expect(frame.style.height).toBe('480px');
  });

  it('ignores messages from another origin, from other frames and of the wrong shape', async () => {
    await load(shop('/?ref=a1b2c3d4'));
    const { frame, posted } = widget();
    const other = widget('https://other.test/widget/x');
    const notAWidget = widget(`${SERVER}/dashboard`);
    posted.mockClear();
    other.posted.mockClear();
    notAWidget.posted.mockClear();
    message({ type: 'offertown:ready' }, 'https://other.test', frame.contentWindow);
    message({ type: 'offertown:height', height: 999 }, 'https://other.test', frame.contentWindow);
    message({ type: 'offertown:ready' }, SERVER, window);
    message({ type: 'offertown:ready' }, SERVER, other.frame.contentWindow);
    message({ type: 'offertown:ready' }, SERVER, notAWidget.frame.contentWindow);
    message({ type: 'offertown:height', height: '1px;position:fixed' }, SERVER, frame.contentWindow);
    message({ type: 'offertown:height', height: 1e6 }, SERVER, frame.contentWindow);
    expect(() => message(null, SERVER, frame.contentWindow)).not.toThrow();
    expect(posted).not.toHaveBeenCalled();
    expect(other.posted).not.toHaveBeenCalled();
    expect(notAWidget.posted).not.toHaveBeenCalled();
    expect(frame.style.height).toBe('');
  });
});

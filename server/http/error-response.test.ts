/**
 * The one error shape: junk of every kind (bodies, content types, query
 * strings, paths, headers) never makes the server answer 5xx, and every error
 * has the documented shape with a requestId equal to the X-Request-Id header.
 */
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, errorResponse } from '../../contract/errors.ts';
import { call, createdReferralId, expectError, newPartner, PROGRAM, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const RUNS = 60;

/** Any answer to junk: never 5xx; an error in the documented shape whose requestId is the header's. */
function expectWellFormed(response: LightMyRequestResponse, method: string): void {
  expect(response.statusCode, response.body).toBeLessThan(500);
  expect(response.headers['x-request-id']).toMatch(/^req_[0-9a-f]{16}$/);
  if (response.statusCode < 400 || method === 'HEAD') return;
  const parsed = errorResponse.safeParse(response.json());
  expect(parsed.success, response.body).toBe(true);
  const { error } = parsed.data!;
  expect(ERROR_STATUS[error.code]).toBe(response.statusCode);
  expect(error.requestId).toBe(response.headers['x-request-id']);
  if (error.code === 'VALIDATION_ERROR') expect(error.fields?.length, response.body).toBeGreaterThan(0);
}

const keyOf = (names: string[]) => fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }));
const junkValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.emailAddress(),
  fc.constantFrom('a\u0000b', '\u0000'),
  fc.jsonValue({ maxDepth: 3 }),
);
// String() throws on objects like {"toString": 0} that jsonValue generates; JSON text is also the likelier junk in a URL.
const asQueryText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
const REFERRAL_FIELDS = [
  'referrerIdentifier', 'friendEmail', 'friendName', 'externalSourceId', 'metadata', 'partnerId', 'status', 'referralId',
  'conversionValue', 'currency', 'externalTransactionId', 'name', 'landingUrl', 'allowedOrigins', 'attributionWindowDays', 'branding',
];
const QUERY_PARAMS = ['status', 'referrerEmail', 'dateFrom', 'dateTo', 'search', 'sortBy', 'sortOrder', 'page', 'pageSize', 'partnerId'];
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'text/html',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream',
  '*/*', 'application/json-patch+json', 'APPLICATION/JSON', 'application/vnd.api+json',
];

describe.each(STORE_KINDS)('junk input on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  let partner: TestPartner;
  let referralId: string;
  let writeUrls: string[];

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store);
    partner = await newPartner(store);
    referralId = await createdReferralId(app, partner);
    writeUrls = [REFERRALS, `${REFERRALS}/${referralId}`, `${REFERRALS}/${referralId}/convert`, PROGRAM];
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  const inject = async (options: InjectOptions) => {
    const response = await app.inject(options);
    expectWellFormed(response, String(options.method));
    return response;
  };

  it('answers random JSON bodies on every write route with a success or a documented error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.oneof(fc.dictionary(keyOf(REFERRAL_FIELDS), junkValue, { maxKeys: 6 }), fc.jsonValue({ maxDepth: 3 })),
        async (route, body) => {
          const url = writeUrls[route]!;
          const method = route === 0 || route === 2 ? 'POST' : 'PATCH';
          await inject({ method, url, headers: { ...partner.headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers raw bodies of any content type with 400 or success, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 30 }).filter((s) => /^[\x21-\x7e][\x20-\x7e]*$/.test(s))),
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a))),
        async (route, contentType, payload) => {
          const url = writeUrls[route]!;
          const method = route === 0 || route === 2 ? 'POST' : 'PATCH';
          await inject({ method, url, headers: { ...partner.headers, 'content-type': contentType }, payload });
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers random query strings on the list and the other routes with 200 or 400', async () => {
    const param = fc.tuple(keyOf(QUERY_PARAMS), fc.oneof(junkValue.map(asQueryText), fc.integer().map(String)), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(param, { maxLength: 5 }), fc.integer({ min: 0, max: 2 }), async (params, route) => {
        const query = params.map(([k, v, raw]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
        const url = [REFERRALS, `${REFERRALS}/${referralId}`, PROGRAM][route]!;
        const response = await inject({ method: 'GET', url: `${url}?${query}`, headers: partner.headers });
        expect([200, 400]).toContain(response.statusCode);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers random paths and methods without a 5xx, under /api/ in the error shape', async () => {
    const segment = fc.oneof(
      // Backslashes and whitespace: the test client itself refuses them in a URL.
      fc.string({ maxLength: 30 }).map((s) => s.replace(/[?#\s\\]/g, '')),
      fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
      fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '.', '%00', 'x'.repeat(200), referralId, 'convert'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'),
        fc.constantFrom('/api/v1/partners/', '/api/v1/partners/referrals/', '/api/', '/'),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (method, prefix, segments, withKey) => {
          const options: InjectOptions = { method: method as InjectOptions['method'], url: prefix + segments.join('/'), headers: withKey ? partner.headers : {} };
          // Outside /api/ live pages (links, widget, dashboard) that answer in HTML: there, only "never 5xx" holds.
          if (prefix === '/') expect((await app.inject(options)).statusCode).toBeLessThan(500);
          else await inject(options);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('answers random headers, API keys included, without a 5xx', async () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
    const value = fc.string({ maxLength: 60 }).filter((s) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.oneof(name, fc.constantFrom('x-api-key', 'content-type', 'accept', 'x-forwarded-for', 'x-request-id', 'accept-encoding', 'origin')), value, { maxKeys: 5 }),
        fc.integer({ min: 0, max: 4 }),
        async (headers, route) => {
          const method = route === 4 ? 'GET' : route === 0 || route === 2 ? 'POST' : 'PATCH';
          const url = [...writeUrls, REFERRALS][route]!;
          const response = await inject({ method, url, headers: { ...headers, 'content-type': headers['content-type'] ?? 'application/json' }, payload: '{"metadata":{}}' });
          if (headers['x-request-id']) expect(response.headers['x-request-id']).not.toBe(headers['x-request-id']);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('rejects the NUL character anywhere, in the body, the query or the path, with 400 on both databases', async () => {
    const inBody = await call(app, partner, 'POST', REFERRALS, { referrerIdentifier: 'c\u0000', friendEmail: 'a@example.com', friendName: 'A' });
    expect(expectError(inBody, 400, 'VALIDATION_ERROR').fields).toEqual([{ field: 'referrerIdentifier', message: expect.stringMatching(/NUL/) }]);
    const inMetadata = await call(app, partner, 'PATCH', `${REFERRALS}/${referralId}`, { metadata: { note: ['ok', 'x\u0000'] } });
    expect(expectError(inMetadata, 400, 'VALIDATION_ERROR').fields).toEqual([{ field: 'metadata.note.1', message: expect.stringMatching(/NUL/) }]);
    const inQuery = await call(app, partner, 'GET', `${REFERRALS}?search=a%00b`);
    expect(expectError(inQuery, 400, 'VALIDATION_ERROR').fields).toEqual([{ field: 'search', message: expect.stringMatching(/NUL/) }]);
    const inPath = await call(app, partner, 'GET', `${REFERRALS}/ref%00`);
    expect(expectError(inPath, 400, 'VALIDATION_ERROR').fields).toEqual([{ field: 'referralId', message: expect.stringMatching(/NUL/) }]);
    const open = await createdReferralId(app, partner);
    const inConversion = await call(app, partner, 'POST', `${REFERRALS}/${open}/convert`, { externalTransactionId: '\u0000' });
    expectError(inConversion, 400, 'VALIDATION_ERROR');
    expect((await call(app, partner, 'GET', `${REFERRALS}/${open}`)).json().status).toBe('pending');
  });

  it('rejects deeply nested bodies with 400 rather than running out of stack', async () => {
    for (const depth of [40, 5_000, 16_000]) {
      const payload = `{"metadata":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const response = await app.inject({ method: 'PATCH', url: `${REFERRALS}/${referralId}`, headers: { ...partner.headers, 'content-type': 'application/json' }, payload });
      const error = expectError(response, 400, 'VALIDATION_ERROR');
      expect(error.fields![0]!.field).toMatch(/^metadata\.a(\.0)+$/);
    }
    const nested = { metadata: { a: { b: { c: { d: ['fine'] } } } } };
    expect((await call(app, partner, 'PATCH', `${REFERRALS}/${referralId}`, nested)).statusCode).toBe(200);
  });

  it('never adopts the client\'s X-Request-Id: each response has its own', async () => {
    const first = await call(app, partner, 'GET', `${REFERRALS}/nope`, undefined, { headers: { 'x-request-id': 'chosen-by-client' } });
    const second = await call(app, partner, 'GET', `${REFERRALS}/nope`, undefined, { headers: { 'x-request-id': 'chosen-by-client' } });
    const a = expectError(first, 404, 'NOT_FOUND');
    const b = expectError(second, 404, 'NOT_FOUND');
    expect(a.requestId).not.toBe('chosen-by-client');
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('answers unknown routes and methods with 404 NOT_FOUND in the error shape', async () => {
    expectError(await call(app, partner, 'GET', '/api/v1/partners/nothing'), 404, 'NOT_FOUND');
    expectError(await call(app, partner, 'DELETE', `${REFERRALS}/${referralId}`), 404, 'NOT_FOUND');
    expectError(await call(app, partner, 'PUT', REFERRALS, {}), 404, 'NOT_FOUND');
  });

  it('answers a URL that cannot be decoded with 400 VALIDATION_ERROR in the error shape', async () => {
    const error = expectError(await call(app, partner, 'GET', `${REFERRALS}/%zz`), 400, 'VALIDATION_ERROR');
    expect(error.fields).toEqual([{ field: 'url', message: expect.any(String) }]);
    expectError(await call(app, partner, 'GET', `${REFERRALS}/${'x'.repeat(300)}`), 400, 'VALIDATION_ERROR');
  });

  it('answers a failure of ours with 500 INTERNAL_ERROR in the error shape, revealing nothing of the cause', async () => {
    const broken = await freshStore(kind);
    const brokenPartner = await newPartner(broken);
    const brokenApp = await testApp(broken);
    await broken.db.destroy();
    const response = await call(brokenApp, brokenPartner, 'GET', REFERRALS);
    const error = expectError(response, 500, 'INTERNAL_ERROR');
    expect(error.message).toBe('Something went wrong on our side');
    expect(response.body).not.toMatch(/destroyed|kysely|stack|sqlite|postgres/i);
    await brokenApp.close();
    await broken.cleanup().catch(() => {});
  });
});

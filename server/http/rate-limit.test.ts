/**
 * Rate limits of the partner API: write requests per IP, conversion reports
 * per partner, 429 RATE_LIMITED with Retry-After and retryAfterMs.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.ts';
import { defaultConfig, loadConfig, rateLimitCounter, type Config } from '../config.ts';
import { countHit, sweepRateLimitCounters } from '../store/rate-limit-counters.ts';
import { call, createdReferralId, expectError, newPartner, newReferralBody, REFERRALS, testApp, type TestPartner } from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

/** Asserts a 429 in the documented form: Retry-After in whole seconds agreeing with retryAfterMs. */
function expectRateLimited(response: LightMyRequestResponse, limit: number): void {
  const error = expectError(response, 429, 'RATE_LIMITED');
  expect(Number.isInteger(error.retryAfterMs)).toBe(true);
  expect(error.retryAfterMs).toBeGreaterThan(0);
  expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  const retryAfter = response.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBe(Math.ceil(error.retryAfterMs! / 1000));
  expect(error.message).toContain(String(limit));
}

describe.each(STORE_KINDS)('rate limits on %s', (kind) => {
  let store: TestStore;
  /** Unlimited: sets up referrals without using up anybody's allowance. */
  let setup: FastifyInstance;
  let partner: TestPartner;
  const apps: FastifyInstance[] = [];

  const limitedApp = async (config: Partial<Config>, extra: Parameters<typeof testApp>[3] = {}) => {
    const app = await testApp(store, config, undefined, extra);
    apps.push(app);
    return app;
  };
  const openReferrals = (count: number, who = partner) =>
    Promise.all(Array.from({ length: count }, () => createdReferralId(setup, who)));

  beforeAll(async () => {
    store = await freshStore(kind);
    setup = await testApp(store);
    partner = await newPartner(store);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await setup.close();
    await store.cleanup();
  });

  it('answers the write after the limit with 429, Retry-After and retryAfterMs; reads stay unlimited', async () => {
    const app = await limitedApp({ writeRateLimit: 3 });
    const [id] = await openReferrals(1);
    expect((await call(app, partner, 'POST', REFERRALS, newReferralBody())).statusCode).toBe(201);
    expect((await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { metadata: { a: 1 } })).statusCode).toBe(200);
    expect((await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: `t_${id}` })).statusCode).toBe(201);

    const body = newReferralBody();
    expectRateLimited(await call(app, partner, 'POST', REFERRALS, body), 3);
    expectRateLimited(await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { metadata: { b: 2 } }), 3);
    expectRateLimited(await call(app, partner, 'PATCH', '/api/v1/partners/program', { name: 'New' }), 3);
    // Nothing was written by the refused requests.
    expect((await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json().metadata).toEqual({ a: 1 });
    expect((await call(app, partner, 'GET', `${REFERRALS}?search=${encodeURIComponent(String(body.friendEmail))}`)).json().pagination.total).toBe(0);
    for (let i = 0; i < 10; i++) expect((await call(app, partner, 'GET', REFERRALS)).statusCode).toBe(200);
  });

  it('counts per client IP: another address still writes', async () => {
    const app = await limitedApp({ writeRateLimit: 2 });
    const from = (ip: string) => call(app, partner, 'POST', REFERRALS, newReferralBody(), { remoteAddress: ip });
    expect((await from('10.0.0.1')).statusCode).toBe(201);
    expect((await from('10.0.0.1')).statusCode).toBe(201);
    expectRateLimited(await from('10.0.0.1'), 2);
    expect((await from('10.0.0.2')).statusCode).toBe(201);
  });

  it('counts writes that fail authentication or validation too, so junk traffic is limited', async () => {
    const app = await limitedApp({ writeRateLimit: 2 });
    expectError(await call(app, null, 'POST', REFERRALS, newReferralBody()), 401, 'MISSING_API_KEY');
    expectError(await call(app, partner, 'POST', REFERRALS, {}), 400, 'VALIDATION_ERROR');
    expectRateLimited(await call(app, null, 'POST', REFERRALS, newReferralBody()), 2);
    expectRateLimited(await call(app, partner, 'POST', REFERRALS, newReferralBody()), 2);
  });

  it('ignores X-Forwarded-For by default, so a client cannot pick a fresh IP per request', async () => {
    const app = await limitedApp({ writeRateLimit: 2 });
    const spoofed = (ip: string) => call(app, partner, 'POST', REFERRALS, newReferralBody(), { headers: { 'x-forwarded-for': ip } });
    expect((await spoofed('203.0.113.1')).statusCode).toBe(201);
    expect((await spoofed('203.0.113.2')).statusCode).toBe(201);
    expectRateLimited(await spoofed('203.0.113.3'), 2);
  });

  it('uses X-Forwarded-For when trustProxy is on, as behind a reverse proxy', async () => {
    const app = await limitedApp({ writeRateLimit: 2, trustProxy: true });
    const via = (client: string) => call(app, partner, 'POST', REFERRALS, newReferralBody(), { headers: { 'x-forwarded-for': client } });
    expect((await via('203.0.113.1')).statusCode).toBe(201);
    expect((await via('203.0.113.2')).statusCode).toBe(201);
    expect((await via('203.0.113.3')).statusCode).toBe(201);
    expect((await via('203.0.113.1')).statusCode).toBe(201);
    expectRateLimited(await via('203.0.113.1'), 2);
  });

  it('limits conversion reports per partner, whatever the IP, leaving other partners and other writes alone', async () => {
    const app = await limitedApp({ writeRateLimit: 0, conversionRateLimit: 2 });
    const other = await newPartner(store);
    const mine = await openReferrals(3);
    const [theirs] = await openReferrals(1, other);
    const convert = (who: TestPartner, id: string, ip: string) =>
      call(app, who, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: `t_${id}` }, { remoteAddress: ip });

    expect((await convert(partner, mine[0]!, '10.0.0.1')).statusCode).toBe(201);
    expect((await convert(partner, mine[1]!, '10.0.0.2')).statusCode).toBe(201);
    const limited = await convert(partner, mine[2]!, '10.0.0.3');
    expectRateLimited(limited, 2);
    expect(limited.json().error.message).toMatch(/conversion/);
    expect((await call(app, partner, 'GET', `${REFERRALS}/${mine[2]}`)).json().status).toBe('pending');

    expect((await convert(other, theirs!, '10.0.0.3')).statusCode).toBe(201);
    expect((await call(app, partner, 'POST', REFERRALS, newReferralBody())).statusCode).toBe(201);
  });

  it('applies the reference\'s limits by default: 30 writes per minute per IP, 60 conversions per minute per partner', async () => {
    const app = await buildApp({ config: defaultConfig(), store });
    apps.push(app);
    const writer = await newPartner(store);
    for (let i = 0; i < 30; i++) expect((await call(app, writer, 'POST', REFERRALS, newReferralBody(), { remoteAddress: '10.1.0.1' })).statusCode).toBe(201);
    expectRateLimited(await call(app, writer, 'POST', REFERRALS, newReferralBody(), { remoteAddress: '10.1.0.1' }), 30);

    const converter = await newPartner(store);
    const ids = await openReferrals(61, converter);
    // Spread over three IPs, so only the per-partner limit can stop them.
    for (const [i, id] of ids.slice(0, 60).entries()) {
      const response = await call(app, converter, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: `d_${id}` }, { remoteAddress: `10.2.0.${i % 3}` });
      expect(response.statusCode).toBe(201);
    }
    expectRateLimited(await call(app, converter, 'POST', `${REFERRALS}/${ids[60]}/convert`, { externalTransactionId: 'last' }, { remoteAddress: '10.3.0.1' }), 60);
  });

  it('takes its limits from flags and environment variables', async () => {
    const fromFlags = await buildApp({ config: { ...loadConfig({ 'write-rate-limit': '1' }, {}), logLevel: 'silent' }, store });
    const fromEnv = await buildApp({ config: { ...loadConfig({}, { OFFERTOWN_CONVERSION_RATE_LIMIT: '1' }), logLevel: 'silent' }, store });
    apps.push(fromFlags, fromEnv);
    expect((await call(fromFlags, partner, 'POST', REFERRALS, newReferralBody())).statusCode).toBe(201);
    expectRateLimited(await call(fromFlags, partner, 'POST', REFERRALS, newReferralBody()), 1);

    const [a, b] = await openReferrals(2);
    expect((await call(fromEnv, partner, 'POST', `${REFERRALS}/${a}/convert`, { externalTransactionId: `e_${a}` })).statusCode).toBe(201);
    expectRateLimited(await call(fromEnv, partner, 'POST', `${REFERRALS}/${b}/convert`, { externalTransactionId: `e_${b}` }), 1);
  });

  it.each(['memory', 'database'] as const)('opens a new window a minute after it began (counted in %s)', async (counter) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // In the database two servers share one allowance; in memory, one server is enough to show the window.
      const servers = [await limitedApp({ rateLimitStore: counter, writeRateLimit: 2 })];
      if (counter === 'database') servers.push(await limitedApp({ rateLimitStore: counter, writeRateLimit: 2 }));
      const write = (i: number) => call(servers[i % servers.length]!, partner, 'POST', REFERRALS, newReferralBody(), { remoteAddress: `10.8.0.${counter.length}` });
      expect((await write(0)).statusCode).toBe(201);
      expect((await write(1)).statusCode).toBe(201);
      expectRateLimited(await write(2), 2);
      vi.setSystemTime(Date.now() + 59_000);
      const last = await write(3);
      expectRateLimited(last, 2);
      expect(last.json().error.retryAfterMs).toBeLessThanOrEqual(1_000);
      vi.setSystemTime(Date.now() + 1_000);
      expect((await write(0)).statusCode).toBe(201);
      expect((await write(1)).statusCode).toBe(201);
      expectRateLimited(await write(2), 2);
    } finally {
      vi.useRealTimers();
    }
  });

  describe('counted in the database, shared by every server on it', () => {
    const sharedApp = (config: Partial<Config>, extra: Parameters<typeof testApp>[3] = {}) =>
      limitedApp({ rateLimitStore: 'database', ...config }, extra);

    it('counts by default in the database on PostgreSQL and in memory on SQLite', () => {
      expect(rateLimitCounter({ rateLimitStore: 'auto', databaseUrl: 'postgres://db/offertown' })).toBe('database');
      expect(rateLimitCounter({ rateLimitStore: 'auto', databaseUrl: undefined })).toBe('memory');
      expect(rateLimitCounter({ rateLimitStore: 'memory', databaseUrl: 'postgres://db/offertown' })).toBe('memory');
      expect(loadConfig({ 'rate-limit-store': 'database' }, {}).rateLimitStore).toBe('database');
      expect(() => loadConfig({}, { OFFERTOWN_RATE_LIMIT_STORE: 'redis' })).toThrow(/rate-limit-store/);
    });

    it('lets two servers on one database allow the limit together, not each, even when hit at once', async () => {
      const [one, two] = [await sharedApp({ writeRateLimit: 10 }), await sharedApp({ writeRateLimit: 10 })];
      const responses = await Promise.all(Array.from({ length: 16 }, (_, i) =>
        call(i % 2 ? one : two, partner, 'POST', REFERRALS, newReferralBody(), { remoteAddress: '10.7.0.1' })));
      expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(10);
      for (const refused of responses.filter((r) => r.statusCode !== 201)) expectRateLimited(refused, 10);
      // Another client, and the conversion limit, have their own counts.
      expect((await call(one, partner, 'POST', REFERRALS, newReferralBody(), { remoteAddress: '10.7.0.2' })).statusCode).toBe(201);
    });

    it('counts conversions per partner across servers', async () => {
      const [one, two] = [await sharedApp({ conversionRateLimit: 1 }), await sharedApp({ conversionRateLimit: 1 })];
      const [a, b] = await Promise.all([createdReferralId(setup, partner), createdReferralId(setup, partner)]);
      expect((await call(one, partner, 'POST', `${REFERRALS}/${a}/convert`, { externalTransactionId: `s_${a}` }, { remoteAddress: '10.7.1.1' })).statusCode).toBe(201);
      expectRateLimited(await call(two, partner, 'POST', `${REFERRALS}/${b}/convert`, { externalTransactionId: `s_${b}` }, { remoteAddress: '10.7.1.2' }), 1);
    });

    it('starts a new window once the last is over, and sweeps ended windows away', async () => {
      const t0 = 1_000_000;
      expect(await countHit(store.db, 'test:window', 1000, t0)).toEqual({ hits: 1, windowStart: t0 });
      expect(await countHit(store.db, 'test:window', 1000, t0 + 999)).toEqual({ hits: 2, windowStart: t0 });
      expect(await countHit(store.db, 'test:window', 1000, t0 + 1000)).toEqual({ hits: 1, windowStart: t0 + 1000 });
      expect(await sweepRateLimitCounters(store.db, t0 + 1000)).toBe(0);
      expect(await sweepRateLimitCounters(store.db, t0 + 1001)).toBe(1);
      expect(await countHit(store.db, 'test:window', 1000, t0 + 1001)).toEqual({ hits: 1, windowStart: t0 + 1001 });
      if (kind === 'postgres') {
        // Unlogged: counting writes no WAL, so it adds no flush to the request it limits.
        const { rows } = await sql<{ relpersistence: string }>`select relpersistence from pg_class where relname = 'rate_limit_counters'`.execute(store.db);
        expect(rows).toEqual([{ relpersistence: 'u' }]);
      }
    });

    it('sweeps ended windows while counting, so the table does not grow without bound', async () => {
      await countHit(store.db, 'write:10.7.2.1', 60_000, Date.now() - 120_000);
      const app = await sharedApp({ writeRateLimit: 5 });
      expect((await call(app, partner, 'POST', REFERRALS, newReferralBody(), { remoteAddress: '10.7.2.2' })).statusCode).toBe(201);
      await vi.waitFor(async () => {
        const keys = await store.db.selectFrom('rate_limit_counters').select('key').where('key', 'like', 'write:10.7.2.%').execute();
        expect(keys.map((row) => row.key)).toEqual(['write:10.7.2.2']);
      });
    });

    it('lets requests through, and logs why, when the counter cannot count (never a 500)', async () => {
      const broken = await freshStore(kind);
      const lines: string[] = [];
      const app = await testApp(broken, { rateLimitStore: 'database', writeRateLimit: 1, logLevel: 'warn' }, undefined, { logStream: { write: (line) => void lines.push(line) } });
      try {
        const owner = await newPartner(broken);
        await broken.db.schema.dropTable('rate_limit_counters').execute();
        for (let i = 0; i < 3; i++) expect((await call(app, owner, 'POST', REFERRALS, newReferralBody())).statusCode).toBe(201);
        expect(lines.filter((l) => l.includes('rate limit not counted'))).toHaveLength(3);
        expect(lines.join('')).not.toContain(owner.apiKey);
      } finally {
        await app.close();
        await broken.cleanup();
      }
    });

    it('warns once when requests come through a proxy that is not trusted', async () => {
      const lines: string[] = [];
      const app = await sharedApp({ logLevel: 'warn' }, { logStream: { write: (line) => void lines.push(line) } });
      for (const ip of ['203.0.113.1', '203.0.113.2']) await call(app, partner, 'GET', REFERRALS, undefined, { headers: { 'x-forwarded-for': ip } });
      const warnings = lines.filter((l) => l.includes('X-Forwarded-For'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('--trust-proxy');

      const trusting = await sharedApp({ logLevel: 'warn', trustProxy: true }, { logStream: { write: (line) => void lines.push(line) } });
      await call(trusting, partner, 'GET', REFERRALS, undefined, { headers: { 'x-forwarded-for': '203.0.113.3' } });
      expect(lines.filter((l) => l.includes('X-Forwarded-For'))).toHaveLength(1);
    });
  });
});

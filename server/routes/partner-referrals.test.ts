/**
 * The referral resource of the partner REST API, line by line as the REST API
 * reference documents it, on SQLite and on PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../domain/clock.ts';
import { ensureReferrer } from '../store/referrers.ts';
import {
  call, createdReferralId, expectError, fieldNames, newPartner, newReferralBody, REFERRALS, testApp, type TestPartner,
} from '../test/api-client.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../test/stores.ts';

const DAY_MS = 86_400_000;
const REFERRAL_KEYS = [
  'referralId', 'referralCode', 'status', 'friendEmail', 'friendName', 'createdAt', 'convertedAt',
  'conversionValue', 'currency', 'referrerIdentifier', 'externalSourceId', 'metadata',
].sort();

interface Referral {
  referralId: string;
  referralCode: string;
  status: string;
  friendEmail: string | null;
  friendName: string | null;
  createdAt: number;
  convertedAt: number | null;
  conversionValue: string | null;
  currency: string | null;
  referrerIdentifier: string;
  externalSourceId: string | null;
  metadata: Record<string, unknown>;
}

interface ListBody {
  referrals: Referral[];
  pagination: { page: number; pageSize: number; total: number };
}

/** A metadata object whose JSON is exactly `bytes` long. */
function metadataOfBytes(bytes: number): Record<string, string> {
  const overhead = JSON.stringify({ k: '' }).length;
  return { k: 'x'.repeat(bytes - overhead) };
}

describe.each(STORE_KINDS)('partner referrals API on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock(Date.UTC(2026, 2, 1));
  let partner: TestPartner;

  const get = async (id: string, who: TestPartner = partner) => {
    const response = await call(app, who, 'GET', `${REFERRALS}/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Referral>();
  };

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, {}, clock);
    partner = await newPartner(store);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  describe('POST /referrals (create)', () => {
    it('creates a pending referral: 201 with an ID, the referrer\'s 8-character share code and idempotent: false', async () => {
      const response = await call(app, partner, 'POST', REFERRALS, newReferralBody());
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual(['idempotent', 'referralCode', 'referralId', 'status']);
      expect(body).toEqual({ referralId: expect.any(String), referralCode: expect.stringMatching(/^[a-z0-9]{8}$/), status: 'pending', idempotent: false });
    });

    it('returns the existing referral with 200 and idempotent: true when the same referrer and friend email are posted again', async () => {
      const body = newReferralBody({ metadata: { campaign: 'spring' } });
      const first = await call(app, partner, 'POST', REFERRALS, body);
      const again = await call(app, partner, 'POST', REFERRALS, { ...body, friendName: 'Another Name', metadata: { campaign: 'autumn' } });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ ...first.json(), idempotent: true });
      // The replay changes nothing.
      const stored = await get(first.json().referralId);
      expect(stored.friendName).toBe(body.friendName);
      expect(stored.metadata).toEqual({ campaign: 'spring' });
    });

    it('treats the friend email case- and whitespace-insensitively for idempotency', async () => {
      const first = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_norm', friendEmail: 'Ana.Norm@Example.COM' }));
      const lower = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_norm', friendEmail: 'ana.norm@example.com' }));
      const padded = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_norm', friendEmail: '  ANA.NORM@example.com ' }));
      expect(first.statusCode).toBe(201);
      expect([lower.statusCode, padded.statusCode]).toEqual([200, 200]);
      expect(lower.json().referralId).toBe(first.json().referralId);
      expect(padded.json().referralId).toBe(first.json().referralId);
      expect((await get(first.json().referralId)).friendEmail).toBe('Ana.Norm@Example.COM');
    });

    it('creates a separate referral for the same friend referred by another referrer', async () => {
      const a = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_x1', friendEmail: 'shared@example.com' }));
      const b = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_x2', friendEmail: 'shared@example.com' }));
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(a.json().referralId).not.toBe(b.json().referralId);
    });

    it('gives each referrer one share code, the same on all of its referrals and different from other referrers\'', async () => {
      const one = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_code' }));
      const two = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_code' }));
      const other = await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 'cust_code_2' }));
      expect(one.json().referralCode).toMatch(/^[a-z0-9]{8}$/);
      expect(two.json().referralCode).toBe(one.json().referralCode);
      expect(other.json().referralCode).not.toBe(one.json().referralCode);
      expect((await get(two.json().referralId)).referralCode).toBe(one.json().referralCode);
    });

    it('keeps the same pair apart between partners: each partner gets its own referral', async () => {
      const other = await newPartner(store);
      const body = newReferralBody();
      const mine = await call(app, partner, 'POST', REFERRALS, body);
      const theirs = await call(app, other, 'POST', REFERRALS, body);
      expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
      expect(theirs.json().referralId).not.toBe(mine.json().referralId);
    });

    it('requires referrerIdentifier, friendEmail and friendName', async () => {
      const error = expectError(await call(app, partner, 'POST', REFERRALS, {}), 400, 'VALIDATION_ERROR');
      expect(fieldNames(error).sort()).toEqual(['friendEmail', 'friendName', 'referrerIdentifier']);
    });

    it('rejects an invalid friend email with a field message', async () => {
      const error = expectError(await call(app, partner, 'POST', REFERRALS, newReferralBody({ friendEmail: 'not-an-email' })), 400, 'VALIDATION_ERROR');
      expect(error.fields).toEqual([{ field: 'friendEmail', message: 'Invalid email' }]);
    });

    it('rejects fields of the wrong type', async () => {
      const error = expectError(
        await call(app, partner, 'POST', REFERRALS, newReferralBody({ referrerIdentifier: 42, friendName: ['Ana'], externalSourceId: {} })),
        400, 'VALIDATION_ERROR',
      );
      expect(fieldNames(error).sort()).toEqual(['externalSourceId', 'friendName', 'referrerIdentifier']);
    });

    it('rejects unknown fields and read-only fields, naming each', async () => {
      const error = expectError(
        await call(app, partner, 'POST', REFERRALS, newReferralBody({ colour: 'red', status: 'converted', referralCode: 'aaaaaaaa' })),
        400, 'VALIDATION_ERROR',
      );
      expect(fieldNames(error).sort()).toEqual(['colour', 'referralCode', 'status']);
      expect(error.fields!.find((f) => f.field === 'status')!.message).toMatch(/read-only/i);
      expect(error.fields!.find((f) => f.field === 'colour')!.message).toMatch(/unknown/i);
    });

    it('rejects a partnerId in the body and in the query string: the key identifies the partner', async () => {
      const inBody = expectError(await call(app, partner, 'POST', REFERRALS, newReferralBody({ partnerId: partner.partnerId })), 400, 'VALIDATION_ERROR');
      expect(fieldNames(inBody)).toEqual(['partnerId']);
      const inQuery = expectError(await call(app, partner, 'POST', `${REFERRALS}?partnerId=${partner.partnerId}`, newReferralBody()), 400, 'VALIDATION_ERROR');
      expect(fieldNames(inQuery)).toEqual(['partnerId']);
    });

    it('accepts metadata of exactly 4 KiB and rejects 4 KiB + 1 byte', async () => {
      const atLimit = await call(app, partner, 'POST', REFERRALS, newReferralBody({ metadata: metadataOfBytes(4096) }));
      expect(atLimit.statusCode, atLimit.body).toBe(201);
      expect((await get(atLimit.json().referralId)).metadata).toEqual(metadataOfBytes(4096));
      const over = expectError(await call(app, partner, 'POST', REFERRALS, newReferralBody({ metadata: metadataOfBytes(4097) })), 400, 'VALIDATION_ERROR');
      expect(fieldNames(over)).toEqual(['metadata']);
    });

    it('rejects metadata that is not an object', async () => {
      for (const metadata of [[1, 2], 'text', 7, null]) {
        const error = expectError(await call(app, partner, 'POST', REFERRALS, newReferralBody({ metadata })), 400, 'VALIDATION_ERROR');
        expect(fieldNames(error)).toEqual(['metadata']);
      }
    });

    it('rejects malformed JSON, a missing body and a body that is not JSON', async () => {
      const malformed = await app.inject({ method: 'POST', url: REFERRALS, headers: { ...partner.headers, 'content-type': 'application/json' }, payload: '{"referrerIdentifier": "c1",' });
      expect(fieldNames(expectError(malformed, 400, 'VALIDATION_ERROR'))).toEqual(['body']);
      const missing = await app.inject({ method: 'POST', url: REFERRALS, headers: partner.headers });
      expectError(missing, 400, 'VALIDATION_ERROR');
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
        const response = await app.inject({ method: 'POST', url: REFERRALS, headers: { ...partner.headers, 'content-type': contentType }, payload: JSON.stringify(newReferralBody()) });
        expect(fieldNames(expectError(response, 400, 'VALIDATION_ERROR'))).toEqual(['body']);
      }
      const withCharset = await app.inject({ method: 'POST', url: REFERRALS, headers: { ...partner.headers, 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify(newReferralBody()) });
      expect(withCharset.statusCode).toBe(201);
    });

    it('rejects a body larger than the body limit with 400, not 413', async () => {
      const huge = newReferralBody({ friendName: 'x'.repeat(40_000) });
      const error = expectError(await call(app, partner, 'POST', REFERRALS, huge), 400, 'VALIDATION_ERROR');
      expect(fieldNames(error)).toEqual(['body']);
    });
  });

  describe('GET /referrals/{referralId}', () => {
    it('returns the referral object exactly as documented, before conversion', async () => {
      clock.advance(1000);
      const id = await createdReferralId(app, partner, {
        referrerIdentifier: 'cust_42', friendEmail: 'ana@example.com', friendName: 'Ana', externalSourceId: 'lead_991', metadata: { campaign: 'spring' },
      });
      const referral = await get(id);
      expect(Object.keys(referral).sort()).toEqual(REFERRAL_KEYS);
      expect(referral).toEqual({
        referralId: id,
        referralCode: expect.stringMatching(/^[a-z0-9]{8}$/),
        status: 'pending',
        friendEmail: 'ana@example.com',
        friendName: 'Ana',
        createdAt: clock.now(),
        convertedAt: null,
        conversionValue: null,
        currency: null,
        referrerIdentifier: 'cust_42',
        externalSourceId: 'lead_991',
        metadata: { campaign: 'spring' },
      });
    });

    it('shows null externalSourceId and empty metadata when none were given', async () => {
      const referral = await get(await createdReferralId(app, partner));
      expect(referral.externalSourceId).toBeNull();
      expect(referral.metadata).toEqual({});
    });

    it('returns the referral object with conversion data once converted: epoch ms, a decimal string of cents and EUR', async () => {
      const id = await createdReferralId(app, partner);
      clock.advance(5000);
      const converted = await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 12999, externalTransactionId: `order_${id}` });
      expect(converted.statusCode).toBe(201);
      const referral = await get(id);
      expect(Object.keys(referral).sort()).toEqual(REFERRAL_KEYS);
      expect(referral).toMatchObject({ status: 'converted', convertedAt: clock.now(), conversionValue: '12999', currency: 'EUR' });
      expect(Number.isInteger(referral.createdAt)).toBe(true);
    });

    it('is 404 NOT_FOUND for an unknown ID', async () => {
      expectError(await call(app, partner, 'GET', `${REFERRALS}/ref_0000000000000000`), 404, 'NOT_FOUND');
      expectError(await call(app, partner, 'GET', `${REFERRALS}/nothing-like-an-id`), 404, 'NOT_FOUND');
    });

    it('is 404 NOT_FOUND for another partner\'s referral, on read, update and convert, which leave it untouched', async () => {
      const other = await newPartner(store);
      const theirs = await createdReferralId(app, other, { metadata: { owner: 'other' } });
      expectError(await call(app, partner, 'GET', `${REFERRALS}/${theirs}`), 404, 'NOT_FOUND');
      expectError(await call(app, partner, 'PATCH', `${REFERRALS}/${theirs}`, { metadata: { stolen: true } }), 404, 'NOT_FOUND');
      expectError(await call(app, partner, 'POST', `${REFERRALS}/${theirs}/convert`, { externalTransactionId: 'x' }), 404, 'NOT_FOUND');
      const unchanged = await get(theirs, other);
      expect(unchanged).toMatchObject({ status: 'pending', metadata: { owner: 'other' }, convertedAt: null });
      const list = (await call(app, partner, 'GET', `${REFERRALS}?search=${theirs}`)).json<ListBody>();
      expect(list.pagination.total).toBe(0);
    });

    it('rejects query parameters, partnerId above all', async () => {
      const id = await createdReferralId(app, partner);
      const error = expectError(await call(app, partner, 'GET', `${REFERRALS}/${id}?partnerId=${partner.partnerId}`), 400, 'VALIDATION_ERROR');
      expect(error.fields).toEqual([{ field: 'partnerId', message: expect.stringMatching(/API key/) }]);
    });
  });

  describe('PATCH /referrals/{referralId}', () => {
    it('sets externalSourceId and replaces metadata, leaving everything else as it was', async () => {
      const id = await createdReferralId(app, partner, { metadata: { campaign: 'spring', stage: 'lead' } });
      const before = await get(id);
      const response = await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { externalSourceId: 'lead_991', metadata: { crmStage: 'won' } });
      expect(response.statusCode).toBe(200);
      const expected = { ...before, externalSourceId: 'lead_991', metadata: { crmStage: 'won' } };
      expect(response.json()).toEqual(expected);
      expect(await get(id)).toEqual(expected);
    });

    it('changes only the fields sent, and clears externalSourceId with null', async () => {
      const id = await createdReferralId(app, partner, { externalSourceId: 'lead_1', metadata: { a: 1 } });
      const onlySource = (await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { externalSourceId: 'lead_2' })).json<Referral>();
      expect(onlySource).toMatchObject({ externalSourceId: 'lead_2', metadata: { a: 1 } });
      const onlyMetadata = (await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { metadata: { b: 2 } })).json<Referral>();
      expect(onlyMetadata).toMatchObject({ externalSourceId: 'lead_2', metadata: { b: 2 } });
      const cleared = (await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { externalSourceId: null })).json<Referral>();
      expect(cleared).toMatchObject({ externalSourceId: null, metadata: { b: 2 } });
    });

    it('rejects every read-only field by name, status included, and changes nothing', async () => {
      const id = await createdReferralId(app, partner);
      const before = await get(id);
      const readOnly: Record<string, unknown> = {
        status: 'converted', friendEmail: 'x@example.com', friendName: 'X', referrerIdentifier: 'c', referralId: 'ref_x', referralCode: 'abcdefgh',
        createdAt: 1, convertedAt: 1, conversionValue: 5, currency: 'EUR', externalTransactionId: 'o',
      };
      for (const [field, value] of Object.entries(readOnly)) {
        const error = expectError(await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { metadata: { x: 1 }, [field]: value }), 400, 'VALIDATION_ERROR');
        expect(error.fields).toEqual([{ field, message: expect.stringMatching(/read-only/i) }]);
      }
      expect(await get(id)).toEqual(before);
    });

    it('rejects unknown fields, partnerId, metadata over 4 KiB and an empty request', async () => {
      const id = await createdReferralId(app, partner);
      expect(fieldNames(expectError(await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { note: 'x' }), 400, 'VALIDATION_ERROR'))).toEqual(['note']);
      expect(fieldNames(expectError(await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { partnerId: 'prt_1' }), 400, 'VALIDATION_ERROR'))).toEqual(['partnerId']);
      expect(fieldNames(expectError(await call(app, partner, 'PATCH', `${REFERRALS}/${id}?partnerId=prt_1`, { metadata: {} }), 400, 'VALIDATION_ERROR'))).toEqual(['partnerId']);
      expect(fieldNames(expectError(await call(app, partner, 'PATCH', `${REFERRALS}/${id}`, { metadata: metadataOfBytes(4097) }), 400, 'VALIDATION_ERROR'))).toEqual(['metadata']);
      expectError(await app.inject({ method: 'PATCH', url: `${REFERRALS}/${id}`, headers: partner.headers }), 400, 'VALIDATION_ERROR');
      expect((await get(id)).metadata).toEqual({});
    });

    it('is 404 NOT_FOUND for an unknown referral', async () => {
      expectError(await call(app, partner, 'PATCH', `${REFERRALS}/ref_doesnotexist0000`, { metadata: {} }), 404, 'NOT_FOUND');
    });
  });

  describe('POST /referrals/{referralId}/convert', () => {
    it('converts: 201 with convertedAt in epoch ms and the value echoed as a decimal string', async () => {
      const id = await createdReferralId(app, partner);
      clock.advance(60_000);
      const response = await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, {
        conversionValue: 12999, currency: 'EUR', externalTransactionId: `order_77_${id}`, metadata: { sku: 'PRO-1' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ referralId: id, status: 'converted', convertedAt: clock.now(), conversionValue: '12999', idempotent: false });
    });

    it('replays with the same externalTransactionId return the original result with 200, even with a different value', async () => {
      const id = await createdReferralId(app, partner);
      const first = await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 500, externalTransactionId: `order_${id}` });
      clock.advance(10_000);
      const replay = await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 999, externalTransactionId: `order_${id}` });
      expect(first.statusCode).toBe(201);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual({ ...first.json(), idempotent: true });
      expect(replay.json().conversionValue).toBe('500');
      expect((await get(id)).conversionValue).toBe('500');
    });

    it('is 409 DUPLICATE_CONVERSION for a converted referral reported under a different transaction ID', async () => {
      const id = await createdReferralId(app, partner);
      await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 100, externalTransactionId: `a_${id}` });
      expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 100, externalTransactionId: `b_${id}` }), 409, 'DUPLICATE_CONVERSION');
      expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 100 }), 409, 'DUPLICATE_CONVERSION');
      expect(await get(id)).toMatchObject({ conversionValue: '100' });
    });

    it('is 409 DUPLICATE_CONVERSION for a transaction ID already used on another referral, which stays open', async () => {
      const first = await createdReferralId(app, partner);
      const second = await createdReferralId(app, partner);
      const transaction = `order_shared_${first}`;
      expect((await call(app, partner, 'POST', `${REFERRALS}/${first}/convert`, { externalTransactionId: transaction })).statusCode).toBe(201);
      expectError(await call(app, partner, 'POST', `${REFERRALS}/${second}/convert`, { externalTransactionId: transaction }), 409, 'DUPLICATE_CONVERSION');
      expect(await get(second)).toMatchObject({ status: 'pending', convertedAt: null, conversionValue: null, currency: null });
    });

    it('lets two partners use the same order ID, since each names its own orders', async () => {
      const other = await newPartner(store);
      const mine = await createdReferralId(app, partner);
      const theirs = await createdReferralId(app, other);
      const transaction = `order_both_${mine}`;
      expect((await call(app, partner, 'POST', `${REFERRALS}/${mine}/convert`, { externalTransactionId: transaction })).statusCode).toBe(201);
      expect((await call(app, other, 'POST', `${REFERRALS}/${theirs}/convert`, { externalTransactionId: transaction })).statusCode).toBe(201);
    });

    it('converts without a body: no value, EUR', async () => {
      const id = await createdReferralId(app, partner);
      const response = await app.inject({ method: 'POST', url: `${REFERRALS}/${id}/convert`, headers: partner.headers });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ status: 'converted', conversionValue: null, idempotent: false });
      expect(await get(id)).toMatchObject({ status: 'converted', conversionValue: null, currency: 'EUR', convertedAt: clock.now() });
    });

    it('echoes zero and the largest safe integer exactly', async () => {
      for (const value of [0, Number.MAX_SAFE_INTEGER]) {
        const id = await createdReferralId(app, partner);
        const response = await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: value, externalTransactionId: `v_${id}` });
        expect(response.json().conversionValue).toBe(String(value));
        expect((await get(id)).conversionValue).toBe(String(value));
      }
    });

    it('merges conversion metadata into the referral\'s', async () => {
      const id = await createdReferralId(app, partner, { metadata: { campaign: 'spring' } });
      await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: `m_${id}`, metadata: { sku: 'PRO-1' } });
      expect((await get(id)).metadata).toEqual({ campaign: 'spring', sku: 'PRO-1' });
    });

    it('rejects a value that is not an integer number of cents, a currency other than EUR, and unknown fields', async () => {
      const id = await createdReferralId(app, partner);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ conversionValue: 129.99 }, 'conversionValue'],
        [{ conversionValue: '12999' }, 'conversionValue'],
        [{ conversionValue: -1 }, 'conversionValue'],
        [{ conversionValue: 1e300 }, 'conversionValue'],
        [{ currency: 'USD' }, 'currency'],
        [{ currency: 'eur' }, 'currency'],
        [{ externalTransactionId: '' }, 'externalTransactionId'],
        [{ status: 'converted' }, 'status'],
        [{ partnerId: partner.partnerId }, 'partnerId'],
        [{ amount: 5 }, 'amount'],
        [{ metadata: metadataOfBytes(4097) }, 'metadata'],
      ];
      for (const [body, field] of cases) {
        const error = expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, body), 400, 'VALIDATION_ERROR');
        expect([...new Set(fieldNames(error))], JSON.stringify(body)).toEqual([field]);
      }
      const usd = expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { conversionValue: 100, currency: 'USD' }), 400, 'VALIDATION_ERROR');
      expect(usd.fields).toEqual([{ field: 'currency', message: 'Only EUR is supported' }]);
      expect((await get(id)).status).toBe('pending');
    });

    it('rejects conversion metadata that would push the referral\'s metadata over 4 KiB', async () => {
      const id = await createdReferralId(app, partner, { metadata: metadataOfBytes(3000) });
      const error = expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { metadata: { extra: 'y'.repeat(2000) } }), 400, 'VALIDATION_ERROR');
      expect(fieldNames(error)).toEqual(['metadata']);
      expect((await get(id)).status).toBe('pending');
    });

    it('is 404 NOT_FOUND for an unknown referral', async () => {
      expectError(await call(app, partner, 'POST', `${REFERRALS}/ref_0123456789abcdef/convert`, { externalTransactionId: 'o' }), 404, 'NOT_FOUND');
    });
  });
});

describe.each(STORE_KINDS)('configured limits on %s', (kind) => {
  it('applies the body, metadata, search and page-size limits a self-hoster sets', async () => {
    const store = await freshStore(kind);
    const app = await testApp(store, { bodyLimit: 2048, metadataLimit: 64, searchLimit: 10, maxPageSize: 5 });
    const partner = await newPartner(store);
    expect((await call(app, partner, 'POST', REFERRALS, newReferralBody({ metadata: metadataOfBytes(64) }))).statusCode).toBe(201);
    expect(fieldNames(expectError(await call(app, partner, 'POST', REFERRALS, newReferralBody({ metadata: metadataOfBytes(65) })), 400, 'VALIDATION_ERROR'))).toEqual(['metadata']);
    expect(fieldNames(expectError(await call(app, partner, 'POST', REFERRALS, newReferralBody({ friendName: 'x'.repeat(2100) })), 400, 'VALIDATION_ERROR'))).toEqual(['body']);
    expect((await call(app, partner, 'GET', `${REFERRALS}?search=${'a'.repeat(10)}&pageSize=5`)).statusCode).toBe(200);
    expect(fieldNames(expectError(await call(app, partner, 'GET', `${REFERRALS}?search=${'a'.repeat(11)}&pageSize=6`), 400, 'VALIDATION_ERROR')).sort()).toEqual(['pageSize', 'search']);
    await app.close();
    await store.cleanup();
  });
});

describe.each(STORE_KINDS)('listing referrals on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock(Date.UTC(2026, 3, 1));
  let partner: TestPartner;
  /** The fixture, as the API reads it, in creation order. */
  let all: Referral[];
  const start = clock.now();

  const list = async (query = '') => {
    const response = await call(app, partner, 'GET', `${REFERRALS}${query ? `?${query}` : ''}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ListBody>();
  };
  const ids = (body: ListBody) => body.referrals.map((r) => r.referralId);

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, {}, clock);
    partner = await newPartner(store);
    // The referrer whose email is known: only the store sets referrer emails.
    await ensureReferrer(store.db, partner.programId, 'cust_rita', clock.now(), 'Rita@Example.com');

    const fixture: Array<{ body: Record<string, unknown>; convert?: Record<string, unknown> }> = [
      { body: { referrerIdentifier: 'cust_rita', friendEmail: 'zoe.mueller@example.com', friendName: 'Zoë Müller', externalSourceId: 'lead_100%' }, convert: { conversionValue: 5000, externalTransactionId: 'o1' } },
      { body: { referrerIdentifier: 'cust_beta', friendEmail: 'bob_stone@example.com', friendName: 'Bob Stone', externalSourceId: 'lead_200' } },
      { body: { referrerIdentifier: 'cust_gamma', friendEmail: 'carlxstone@example.com', friendName: 'Carl Ax', externalSourceId: 'lead_1000' }, convert: { externalTransactionId: 'o3' } },
      { body: { referrerIdentifier: 'cust_rita', friendEmail: 'dana@example.org', friendName: 'Émile Dana' }, convert: { conversionValue: 1200, externalTransactionId: 'o4' } },
      { body: { referrerIdentifier: 'cust_beta', friendEmail: 'eve@example.net', friendName: 'Eve' } },
      { body: { referrerIdentifier: 'cust_delta', friendEmail: 'finn@example.com', friendName: 'Finn' }, convert: { conversionValue: 99_000, externalTransactionId: 'o6' } },
    ];
    const created: string[] = [];
    for (const { body } of fixture) {
      clock.advance(60_000);
      created.push(await createdReferralId(app, partner, body));
    }
    // Convert in an order different from creation, so convertedAt and createdAt orders differ.
    for (const index of [5, 0, 3, 2]) {
      clock.advance(60_000);
      const response = await call(app, partner, 'POST', `${REFERRALS}/${created[index]}/convert`, fixture[index]!.convert);
      expect(response.statusCode).toBe(201);
    }
    all = await Promise.all(created.map(async (id) => (await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json<Referral>()));
    // Another partner's referrals never show up.
    const other = await newPartner(store);
    await createdReferralId(app, other, { referrerIdentifier: 'cust_rita', friendEmail: 'zoe.mueller@example.com', friendName: 'Zoë Müller' });
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('lists newest first with default page 1 and page size 25, with the total', async () => {
    const body = await list();
    expect(body.pagination).toEqual({ page: 1, pageSize: 25, total: 6 });
    expect(ids(body)).toEqual(all.map((r) => r.referralId).reverse());
    expect(body.referrals).toEqual([...all].reverse());
    for (const referral of body.referrals) expect(Object.keys(referral).sort()).toEqual(REFERRAL_KEYS);
  });

  it('pages through the results with page and pageSize, the total staying the same', async () => {
    const newestFirst = all.map((r) => r.referralId).reverse();
    const pages = [await list('pageSize=4'), await list('pageSize=4&page=2'), await list('pageSize=4&page=3')];
    expect(pages.map((p) => p.pagination)).toEqual([
      { page: 1, pageSize: 4, total: 6 }, { page: 2, pageSize: 4, total: 6 }, { page: 3, pageSize: 4, total: 6 },
    ]);
    expect(ids(pages[0]!)).toEqual(newestFirst.slice(0, 4));
    expect(ids(pages[1]!)).toEqual(newestFirst.slice(4));
    expect(ids(pages[2]!)).toEqual([]);
    expect((await list('pageSize=100')).referrals).toHaveLength(6);
    expect((await list('pageSize=1&page=6')).referrals).toHaveLength(1);
  });

  it('filters by each status', async () => {
    for (const status of ['pending', 'converted', 'clicked', 'expired']) {
      const body = await list(`status=${status}`);
      const expected = all.filter((r) => r.status === status).map((r) => r.referralId).reverse();
      expect(ids(body), status).toEqual(expected);
      expect(body.pagination.total).toBe(expected.length);
    }
    expect((await list('status=converted')).pagination.total).toBe(4);
    expect((await list('status=pending')).pagination.total).toBe(2);
  });

  it('filters by the referrer\'s email, an exact match regardless of case', async () => {
    const rita = all.filter((r) => r.referrerIdentifier === 'cust_rita').map((r) => r.referralId).reverse();
    expect(rita).toHaveLength(2);
    expect(ids(await list('referrerEmail=rita@example.com'))).toEqual(rita);
    expect(ids(await list('referrerEmail=RITA@example.COM'))).toEqual(rita);
    expect((await list('referrerEmail=ita@example.com')).pagination.total).toBe(0);
    expect((await list('referrerEmail=rita@example.co')).pagination.total).toBe(0);
    expect(ids(await list('referrerEmail=rita@example.com&status=converted'))).toEqual(rita);
  });

  it('filters by a creation window, both ends inclusive', async () => {
    const [, second, third, fourth] = all;
    const body = await list(`dateFrom=${second!.createdAt}&dateTo=${fourth!.createdAt}&sortOrder=asc`);
    expect(ids(body)).toEqual([second!.referralId, third!.referralId, fourth!.referralId]);
    expect(body.pagination.total).toBe(3);
    expect(ids(await list(`dateFrom=${fourth!.createdAt + 1}&sortOrder=asc`))).toEqual(all.slice(4).map((r) => r.referralId));
    expect(ids(await list(`dateTo=${second!.createdAt - 1}`))).toEqual([all[0]!.referralId]);
    expect((await list(`dateFrom=${start}&dateTo=${start}`)).pagination.total).toBe(0);
    expect((await list(`dateFrom=${third!.createdAt}&dateTo=${third!.createdAt}`)).pagination.total).toBe(1);
  });

  describe('search', () => {
    const found = async (search: string) =>
      (await list(`search=${encodeURIComponent(search)}&sortOrder=asc`)).referrals.map((r) => r.friendName);

    it('matches a substring of the friend\'s email or name, case-insensitively', async () => {
      expect(await found('STONE')).toEqual(['Bob Stone', 'Carl Ax']);
      expect(await found('example.org')).toEqual(['Émile Dana']);
      expect(await found('müller')).toEqual(['Zoë Müller']);
      expect(await found('Émile')).toEqual(['Émile Dana']);
      expect(await found('eve')).toEqual(['Eve']);
    });

    it('matches a substring of externalSourceId and of referrerIdentifier', async () => {
      expect(await found('lead_2')).toEqual(['Bob Stone']);
      expect(await found('GAMMA')).toEqual(['Carl Ax']);
      expect(await found('cust_rita')).toEqual(['Zoë Müller', 'Émile Dana']);
    });

    it('matches a referral ID or a share code exactly, not in part', async () => {
      const bob = all[1]!;
      expect(await found(bob.referralId)).toEqual(['Bob Stone']);
      expect(await found(bob.referralId.slice(0, -1))).toEqual([]);
      expect(await found(bob.referralCode)).toEqual(['Bob Stone', 'Eve']);
    });

    it('takes % and _ literally', async () => {
      expect(await found('100%')).toEqual(['Zoë Müller']);
      expect(await found('%')).toEqual(['Zoë Müller']);
      expect(await found('b_stone')).toEqual(['Bob Stone']);
      expect(await found('_stone')).toEqual(['Bob Stone']);
      expect(await found('x\\y')).toEqual([]);
    });

    it('combines with the other filters and counts only matches', async () => {
      const body = await list('search=stone&status=converted');
      expect(body.referrals.map((r) => r.friendName)).toEqual(['Carl Ax']);
      expect(body.pagination.total).toBe(1);
      expect((await list('search=nobody-has-this')).pagination.total).toBe(0);
    });

    it('accepts 256 characters and rejects 257', async () => {
      expect((await list(`search=${'a'.repeat(256)}`)).pagination.total).toBe(0);
      const error = expectError(await call(app, partner, 'GET', `${REFERRALS}?search=${'a'.repeat(257)}`), 400, 'VALIDATION_ERROR');
      expect(fieldNames(error)).toEqual(['search']);
    });
  });

  describe('sorting', () => {
    type SortBy = 'createdAt' | 'convertedAt' | 'conversionValue';
    const value = (r: Referral, by: SortBy): number | null =>
      by === 'conversionValue' ? (r.conversionValue === null ? null : Number(r.conversionValue)) : r[by];
    /** The documented order: no value sorts below every value; ties by ID in the same direction. */
    const expectedOrder = (by: SortBy, order: 'asc' | 'desc') => {
      const ascending = [...all].sort((a, b) => {
        const va = value(a, by);
        const vb = value(b, by);
        if (va !== vb) return va === null ? -1 : vb === null ? 1 : va - vb;
        return a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0;
      });
      return (order === 'asc' ? ascending : ascending.reverse()).map((r) => r.referralId);
    };

    for (const sortBy of ['createdAt', 'convertedAt', 'conversionValue'] as const) {
      for (const sortOrder of ['asc', 'desc'] as const) {
        it(`sorts by ${sortBy} ${sortOrder}, empty values ${sortOrder === 'asc' ? 'first' : 'last'}`, async () => {
          const body = await list(`sortBy=${sortBy}&sortOrder=${sortOrder}`);
          expect(ids(body)).toEqual(expectedOrder(sortBy, sortOrder));
          const values = body.referrals.map((r) => value(r, sortBy));
          const nulls = values.filter((v) => v === null).length;
          if (sortBy !== 'createdAt') expect(nulls).toBeGreaterThan(0);
          const present = values.filter((v): v is number => v !== null);
          expect(present).toEqual([...present].sort((a, b) => (sortOrder === 'asc' ? a - b : b - a)));
          if (sortOrder === 'asc') expect(values.slice(0, nulls).every((v) => v === null)).toBe(true);
          else expect(values.slice(values.length - nulls).every((v) => v === null)).toBe(true);
        });
      }
    }

    it('sorts by conversionValue numerically, not as text', async () => {
      const values = (await list('sortBy=conversionValue&sortOrder=desc&status=converted')).referrals.map((r) => r.conversionValue);
      expect(values).toEqual(['99000', '5000', '1200', null]);
    });

    it('keeps the sort order across pages', async () => {
      const expected = expectedOrder('conversionValue', 'asc');
      const pages = await Promise.all([1, 2, 3].map((page) => list(`sortBy=conversionValue&sortOrder=asc&pageSize=2&page=${page}`)));
      expect(pages.flatMap(ids)).toEqual(expected);
    });
  });

  it('rejects bad query parameters with 400 VALIDATION_ERROR naming each', async () => {
    const cases: Array<[string, string[]]> = [
      ['status=won', ['status']],
      ['page=0', ['page']],
      ['page=-1', ['page']],
      ['page=abc', ['page']],
      ['pageSize=101', ['pageSize']],
      ['pageSize=0', ['pageSize']],
      ['pageSize=2.5', ['pageSize']],
      ['sortBy=friendName', ['sortBy']],
      ['sortBy=createdAt;drop table referrals', ['sortBy']],
      ['sortOrder=up', ['sortOrder']],
      ['dateFrom=yesterday', ['dateFrom']],
      ['dateTo=1.5', ['dateTo']],
      [`dateFrom=${start + 10}&dateTo=${start}`, ['dateTo']],
      ['referrerEmail=not-an-email', ['referrerEmail']],
      ['partnerId=prt_1', ['partnerId']],
      ['limit=10', ['limit']],
      ['page=0&pageSize=101', ['page', 'pageSize']],
    ];
    for (const [query, fields] of cases) {
      const error = expectError(await call(app, partner, 'GET', `${REFERRALS}?${query}`), 400, 'VALIDATION_ERROR');
      expect(fieldNames(error).sort(), query).toEqual(fields);
    }
    const partnerId = expectError(await call(app, partner, 'GET', `${REFERRALS}?partnerId=prt_1`), 400, 'VALIDATION_ERROR');
    expect(partnerId.fields![0]!.message).toMatch(/API key/);
  });
});

describe.each(STORE_KINDS)('expiry after the attribution window on %s', (kind) => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock(Date.UTC(2026, 0, 1));
  let partner: TestPartner;

  beforeAll(async () => {
    store = await freshStore(kind);
    app = await testApp(store, {}, clock);
    partner = await newPartner(store);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('reads a pending referral as expired once 90 days have passed, lists it under expired, and refuses its conversion', async () => {
    const id = await createdReferralId(app, partner);
    const converted = await createdReferralId(app, partner);
    await call(app, partner, 'POST', `${REFERRALS}/${converted}/convert`, { externalTransactionId: 'before-expiry', conversionValue: 10 });

    clock.advance(90 * DAY_MS);
    expect((await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json().status).toBe('pending');
    expect((await call(app, partner, 'GET', `${REFERRALS}?status=pending`)).json().pagination.total).toBe(1);

    clock.advance(1);
    expect((await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json().status).toBe('expired');
    const expired = (await call(app, partner, 'GET', `${REFERRALS}?status=expired`)).json<ListBody>();
    expect(expired.referrals.map((r) => [r.referralId, r.status])).toEqual([[id, 'expired']]);
    expect((await call(app, partner, 'GET', `${REFERRALS}?status=pending`)).json().pagination.total).toBe(0);
    expect((await call(app, partner, 'GET', `${REFERRALS}?status=converted`)).json().pagination.total).toBe(1);
    expect((await call(app, partner, 'GET', `${REFERRALS}/${converted}`)).json().status).toBe('converted');

    expectError(await call(app, partner, 'POST', `${REFERRALS}/${id}/convert`, { externalTransactionId: 'too-late' }), 409, 'REFERRAL_EXPIRED');
    expect((await call(app, partner, 'GET', `${REFERRALS}/${id}`)).json()).toMatchObject({ status: 'expired', convertedAt: null, currency: null });
    // A conversion reported before expiry can still be replayed.
    const replay = await call(app, partner, 'POST', `${REFERRALS}/${converted}/convert`, { externalTransactionId: 'before-expiry', conversionValue: 10 });
    expect(replay.statusCode).toBe(200);
  });

  it('still returns the existing, expired referral for a repeated create', async () => {
    const body = newReferralBody();
    const first = await call(app, partner, 'POST', REFERRALS, body);
    clock.advance(91 * DAY_MS);
    const again = await call(app, partner, 'POST', REFERRALS, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), status: 'expired', idempotent: true });
  });
});

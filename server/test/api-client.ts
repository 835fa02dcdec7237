/**
 * @module
 * What most API tests start from: an app on a test store with an approved
 * partner, and small helpers to call it and to check the one error shape.
 * Rate limits are off unless a test asks for them, so suites can write freely.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp, type AppDeps } from '../app.ts';
import { defaultConfig, type Config } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import type { Store } from '../store/connect.ts';
import { createPartner, type CreatedPartner } from '../store/partners.ts';

export const REFERRALS = '/api/v1/partners/referrals';
export const PROGRAM = '/api/v1/partners/program';

/** An app with rate limits off unless `config` sets them. */
export async function testApp(store: Store, config: Partial<Config> = {}, clock?: Clock, extra: Partial<AppDeps> = {}): Promise<FastifyInstance> {
  return buildApp({ config: defaultConfig({ writeRateLimit: 0, conversionRateLimit: 0, ...config }), store, ...(clock && { clock }), ...extra });
}

export interface TestPartner extends CreatedPartner {
  headers: { 'x-api-key': string };
}

/** A new partner (approved unless told otherwise) with its own program, so its referrals are its own. */
export async function newPartner(store: Store, options: { approve?: boolean; now?: number } = {}): Promise<TestPartner> {
  const created = await createPartner(store.db, { name: 'Test Shop', approve: options.approve ?? true }, options.now ?? Date.now());
  return { ...created, headers: { 'x-api-key': created.apiKey } };
}

/** Calls the app; `body` is sent as JSON. */
export function call(
  app: FastifyInstance,
  partner: { headers: Record<string, string> } | null,
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  extra: Partial<InjectOptions> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { ...partner?.headers, ...(extra.headers as Record<string, string> | undefined) },
    ...(body !== undefined && { payload: body as InjectOptions['payload'] }),
    ...(extra.remoteAddress && { remoteAddress: extra.remoteAddress }),
  });
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }>; retryAfterMs?: number; requestId: string };
}

/**
 * Asserts the documented error shape: status, code, a message, a requestId
 * that equals the X-Request-Id header, and `fields` on every validation error.
 */
export function expectError(response: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<ErrorBody>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.requestId).toMatch(/^req_[0-9a-f]{16}$/);
  expect(body.error.requestId).toBe(response.headers['x-request-id']);
  if (code === 'VALIDATION_ERROR') {
    expect(body.error.fields, 'a validation error names its fields').toEqual(expect.any(Array));
    expect(body.error.fields!.length).toBeGreaterThan(0);
    for (const f of body.error.fields!) expect(f).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
  return body.error;
}

/** The names of the fields a validation error reports. */
export function fieldNames(error: ErrorBody['error']): string[] {
  return (error.fields ?? []).map((f) => f.field);
}

let sequence = 0;

/** A create body unique within the run. */
export function newReferralBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence++;
  return { referrerIdentifier: `cust_${sequence}`, friendEmail: `friend${sequence}@example.com`, friendName: `Friend ${sequence}`, ...overrides };
}

/** Creates a referral through the API and returns its ID. */
export async function createdReferralId(app: FastifyInstance, partner: TestPartner, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call(app, partner, 'POST', REFERRALS, newReferralBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ referralId: string }>().referralId;
}

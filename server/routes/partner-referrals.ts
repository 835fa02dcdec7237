/**
 * @module
 * The partner REST API's referral resource, route for route as the REST API
 * reference documents it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { referral, referralIdParams, referralSchemas, type ApiLimits } from '../../contract/referrals.ts';
import type { Clock } from '../domain/clock.ts';
import { noQuery, partnerErrors } from '../http/route-schemas.ts';
import type { RateLimitHooks } from '../http/rate-limit.ts';
import type { Store } from '../store/connect.ts';
import { convertReferral, createReferral, getReferral, listReferrals, updateReferral } from '../store/referrals.ts';

export interface PartnerReferralsDeps {
  store: Store;
  clock: Clock;
  limits: ApiLimits;
  rateLimits: RateLimitHooks;
}




export async function partnerReferralRoutes(app: FastifyInstance, deps: PartnerReferralsDeps): Promise<void> {
  const { store, clock, limits, rateLimits } = deps;
  const schemas = referralSchemas(limits);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Referrals'];
  const security = [{ apiKey: [] }];

  api.get('/referrals', {
    schema: {
      tags, security,
      summary: 'List referrals',
      querystring: schemas.listQuery,
      response: { 200: schemas.listResponse, ...partnerErrors() },
    },
  }, async (request) => {
    const { referrals, total } = await listReferrals(store.db, store.dialect, request.partner, request.query, clock.now());
    return { referrals, pagination: { page: request.query.page, pageSize: request.query.pageSize, total } };
  });

  api.post('/referrals', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security,
      summary: 'Create a referral',
      description: 'Idempotent on referrerIdentifier + friendEmail: re-posting the pair returns the existing referral with 200 and `idempotent: true`.',
      querystring: noQuery,
      body: schemas.createBody,
      response: { 200: schemas.createResponse, 201: schemas.createResponse, ...partnerErrors() },
    },
  }, async (request, reply) => {
    const { referral: created, created: isNew } = await createReferral(store.db, request.partner, request.body, clock.now());
    reply.code(isNew ? 201 : 200);
    return { referralId: created.referralId, referralCode: created.referralCode, status: created.status, idempotent: !isNew };
  });

  api.get('/referrals/:referralId', {
    schema: {
      tags, security,
      summary: 'Get a referral',
      params: referralIdParams,
      querystring: noQuery,
      response: { 200: referral, ...partnerErrors(404) },
    },
  }, async (request) => getReferral(store.db, request.partner, request.params.referralId, clock.now()));

  api.patch('/referrals/:referralId', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security,
      summary: 'Update a referral',
      description: 'Only metadata (replaced as a whole) and externalSourceId are writable; any other field is rejected.',
      params: referralIdParams,
      querystring: noQuery,
      body: schemas.updateBody,
      response: { 200: referral, ...partnerErrors(404) },
    },
  }, async (request) => updateReferral(store.db, request.partner, request.params.referralId, request.body, clock.now()));

  api.post('/referrals/:referralId/convert', {
    onRequest: rateLimits.writesPerIp,
    preHandler: rateLimits.conversionsPerPartner,
    schema: {
      tags, security,
      summary: 'Report a conversion',
      description:
        'Idempotent on externalTransactionId: a replay returns the original result with 200. A different transaction ID for a converted referral, '
        + 'or a transaction ID already used on another referral, is 409 DUPLICATE_CONVERSION. '
        + 'Extension: a referral whose attribution window passed is 409 REFERRAL_EXPIRED. Metadata is merged into the referral\'s.',
      params: referralIdParams,
      querystring: noQuery,
      // Fastify hands a missing body to the schema as null: every field is optional, so is the body.
      body: schemas.convertBody.nullish(),
      response: { 200: schemas.convertResponse, 201: schemas.convertResponse, ...partnerErrors(404, 409) },
    },
  }, async (request, reply) => {
    const body = request.body ?? {};
    const { referral: converted, converted: isNew } = await convertReferral(
      store.db, request.partner, request.params.referralId, body, clock.now(), limits.metadataBytes,
    );
    reply.code(isNew ? 201 : 200);
    return {
      referralId: converted.referralId,
      status: 'converted' as const,
      convertedAt: converted.convertedAt ?? clock.now(),
      conversionValue: converted.conversionValue,
      idempotent: !isNew,
    };
  });
}

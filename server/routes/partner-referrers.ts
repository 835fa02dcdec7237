/**
 * @module
 * The referrer resource of the partner API (documented extension):
 * `GET/POST /referrers`, `GET /referrers/{referrerIdentifier}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { referrer, referrerCreate, referrerList, referrerListQuery, referrerParams } from '../../contract/referrers.ts';
import type { RouteDeps } from '../app.ts';
import { noQuery, partnerErrors } from '../http/route-schemas.ts';
import { ApiError } from '../domain/api-error.ts';
import { shareUrls } from '../http/server-url.ts';
import { createReferrer, getReferrer, listReferrers } from '../store/referrer-summaries.ts';


export async function partnerReferrerRoutes(app: FastifyInstance, { store, clock, config, rateLimits }: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Referrers'];
  const security = [{ apiKey: [] }];
  const shareUrl = (request: FastifyRequest) => shareUrls(request, config.publicUrl);

  api.get('/referrers', {
    schema: {
      tags, security, summary: 'List referrers',
      description: 'Extension. Newest first, each with share link, referral counts and wallet balance.',
      querystring: referrerListQuery(config.maxPageSize), response: { 200: referrerList, ...partnerErrors() },
    },
  }, async (request) => {
    const { referrers, total } = await listReferrers(store.db, request.partner, request.query, shareUrl(request), clock.now());
    return { referrers, pagination: { page: request.query.page, pageSize: request.query.pageSize, total } };
  });

  api.post('/referrers', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security, summary: 'Create a referrer',
      description: 'Extension. Gives one of your customers a share code and link before any referral exists. '
        + 'Idempotent on referrerIdentifier: 201 when created, 200 with the existing referrer.',
      querystring: noQuery, body: referrerCreate, response: { 200: referrer, 201: referrer, ...partnerErrors() },
    },
  }, async (request, reply) => {
    const { referrer: found, created } = await createReferrer(store.db, request.partner, request.body, shareUrl(request), clock.now());
    reply.code(created ? 201 : 200);
    return found;
  });

  api.get('/referrers/:referrerIdentifier', {
    schema: {
      tags, security, summary: 'Get a referrer',
      description: 'Extension. URL-encode the identifier if it contains reserved characters.',
      params: referrerParams, querystring: noQuery, response: { 200: referrer, ...partnerErrors(404) },
    },
  }, async (request) => {
    const found = await getReferrer(store.db, request.partner, request.params.referrerIdentifier, shareUrl(request), clock.now());
    if (!found) throw new ApiError('NOT_FOUND', 'Referrer not found');
    return found;
  });
}

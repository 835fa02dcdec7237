/**
 * @module
 * `GET/PATCH /api/v1/partners/program`: the partner's program settings, a
 * documented extension of the reference with the same authentication. The CLI's
 * `offertown program show|set` changes the same settings.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { program, programUpdate } from '../../contract/program.ts';
import { ApiError } from '../domain/api-error.ts';
import type { Clock } from '../domain/clock.ts';
import { noQuery, partnerErrors } from '../http/route-schemas.ts';
import type { RateLimitHooks } from '../http/rate-limit.ts';
import type { Store } from '../store/connect.ts';
import { getProgram, updateProgram } from '../store/programs.ts';

export interface PartnerProgramDeps {
  store: Store;
  clock: Clock;
  rateLimits: RateLimitHooks;
}

const programNotFound = () => new ApiError('NOT_FOUND', 'Program not found');

export async function partnerProgramRoutes(app: FastifyInstance, deps: PartnerProgramDeps): Promise<void> {
  const { store, clock, rateLimits } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['Program'], security: [{ apiKey: [] }], querystring: noQuery };
  const errors = partnerErrors();

  api.get('/program', {
    schema: { ...common, summary: 'Get your program\'s settings', response: { 200: program, ...errors } },
  }, async (request) => {
    const found = await getProgram(store.db, request.partner.programId);
    if (!found) throw programNotFound();
    return found;
  });

  api.patch('/program', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      ...common,
      summary: 'Change your program\'s settings',
      description: 'Only the fields sent change; branding is merged field by field.',
      body: programUpdate,
      response: { 200: program, ...errors },
    },
  }, async (request) => {
    const updated = await updateProgram(store.db, request.partner.programId, request.body, clock.now());
    if (!updated) throw programNotFound();
    return updated;
  });
}

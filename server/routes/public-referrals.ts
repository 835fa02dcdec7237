/**
 * @module
 * The public endpoints the tracker and the widget call from browsers, with a
 * program ID and no API key:
 * - `POST /api/public/programs/{programId}/referrals`: a friend identifies
 *   themself (widget form, tracker `identify`) and becomes a pending referral;
 * - `POST /api/public/programs/{programId}/clicks`: the tracker reports a
 *   visitor who arrived with `?ref=` but no click ID.
 * Both accept `text/plain` bodies holding JSON, so `sendBeacon` and simple
 * CORS requests work without a preflight. CORS admits the program's allowed
 * origins and its landing page's origin.
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import MailChecker from 'mailchecker';
import { z } from 'zod';
import { errorResponse } from '../../contract/errors.ts';
import type { Program } from '../../contract/program.ts';
import { friendSubmission, clickReport, publicReferralResponse, clickResponse } from '../../contract/public.ts';
import { ApiError, invalidField } from '../domain/api-error.ts';
import type { Clock } from '../domain/clock.ts';
import { newId } from '../domain/ids.ts';
import type { RateLimitHooks } from '../http/rate-limit.ts';
import type { VisitorHash } from '../http/visitor-hash.ts';
import type { Store } from '../store/connect.ts';
import { getProgram } from '../store/programs.ts';
import { findShareLink, identifyFriend, recordClick } from '../store/public-referrals.ts';

export interface PublicReferralDeps {
  store: Store;
  clock: Clock;
  rateLimits: RateLimitHooks;
  disposableEmails: 'block' | 'allow';
  visitorHash: VisitorHash;
}

const programParams = z.strictObject({ programId: z.string().regex(/^pub_[0-9a-f]{1,40}$/, 'Unknown program') });

/** Origins a program's pages may call from: its allowed embedding origins and its landing page's. */
export function programOrigins(program: Program): string[] {
  const origins = new Set(program.allowedOrigins);
  if (program.landingUrl) origins.add(new URL(program.landingUrl).origin);
  return [...origins];
}

export async function publicReferralRoutes(app: FastifyInstance, deps: PublicReferralDeps): Promise<void> {
  const { store, clock, rateLimits, visitorHash } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();

  // CORS and the route both need the program: read it once per request.
  const programs = new WeakMap<FastifyRequest, Promise<Program | null>>();
  const programOf = (request: FastifyRequest, programId: string): Promise<Program | null> => {
    let program = programs.get(request);
    if (!program) programs.set(request, (program = getProgram(store.db, programId)));
    return program;
  };

  // Browsers send JSON as text/plain to avoid a CORS preflight (and sendBeacon can send nothing else).
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, JSON.parse(body.toString()));
    } catch {
      done(new ApiError('VALIDATION_ERROR', 'The body is not valid JSON'), undefined);
    }
  });

  await app.register(cors, {
    delegator: async (request: FastifyRequest) => {
      // From the URL, not request.params: a preflight is routed by the plugin's wildcard OPTIONS route.
      const programId = /^\/api\/public\/programs\/(pub_[0-9a-f]{1,40})\//.exec(request.url)?.[1];
      const program = programId ? await programOf(request, programId) : null;
      return { origin: program ? programOrigins(program) : false, methods: ['POST'], maxAge: 600 };
    },
  });

  api.post('/programs/:programId/referrals', {
    onRequest: rateLimits.publicWritesPerIp,
    schema: {
      tags: ['Public'],
      summary: 'A referred friend signs up (widget, tracker identify)',
      params: programParams,
      body: friendSubmission,
      response: { 200: publicReferralResponse, 201: publicReferralResponse, 400: errorResponse, 404: errorResponse, 429: errorResponse },
    },
  }, async (request, reply) => {
    const body = request.body;
    // The honeypot: people never see this field, so whoever fills it is a bot. Look successful, store nothing.
    if (body.website) return reply.code(201).send({ referralId: newId('ref'), status: 'pending', idempotent: false });
    if (deps.disposableEmails === 'block' && !MailChecker.isValid(body.friendEmail)) {
      throw invalidField('friendEmail', 'Please use a permanent email address');
    }
    const program = await programOf(request, request.params.programId);
    if (!program) throw new ApiError('NOT_FOUND', 'Unknown program');
    const scope = { programId: program.programId, attributionWindowDays: program.attributionWindowDays };
    const now = clock.now();
    // The partner's proof of the friend's consent: when, and to which terms (as they were linked then).
    const metadata = body.consent ? { consent: { givenAt: now, termsUrl: program.branding.termsUrl ?? null } } : undefined;
    const { referral, created } = await identifyFriend(store.db, scope, { ...body, metadata }, now, visitorHash(request));
    reply.code(created ? 201 : 200);
    return { referralId: referral.referralId, status: referral.status, idempotent: !created };
  });

  api.post('/programs/:programId/clicks', {
    onRequest: rateLimits.publicWritesPerIp,
    schema: {
      tags: ['Public'],
      summary: 'The tracker reports a visitor who arrived with ?ref= and no click ID',
      params: programParams,
      body: clickReport,
      response: { 201: clickResponse, 200: clickResponse, 400: errorResponse, 404: errorResponse, 429: errorResponse },
    },
  }, async (request, reply) => {
    const link = await findShareLink(store.db, request.body.code);
    if (!link || link.program.programId !== request.params.programId) throw new ApiError('NOT_FOUND', 'Unknown referral code');
    const click = await recordClick(store.db, link, visitorHash(request), clock.now());
    reply.code(click.counted ? 201 : 200);
    return click;
  });
}

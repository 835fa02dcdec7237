/**
 * @module
 * The partner API's rate limits, counted by @fastify/rate-limit's store:
 * write requests per client IP, and conversion reports per partner. Over a
 * limit the answer is 429 RATE_LIMITED with `Retry-After` (seconds) and
 * `retryAfterMs`. The client IP is the socket's unless `trustProxy` is set.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/api-error.ts';

const MINUTE_MS = 60_000;

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface RateLimits {
  /** Write requests per minute per IP; 0 turns the limit off. */
  writesPerMinute: number;
  /** Conversion reports per minute per partner; 0 turns the limit off. */
  conversionsPerMinute: number;
  /** Public (unauthenticated) writes per minute per IP; 0 turns the limit off. */
  publicWritesPerMinute: number;
}

export interface RateLimitHooks {
  /** onRequest: before authentication, so junk traffic is limited too. */
  writesPerIp: Hook;
  /** preHandler: after authentication, keyed by the partner. */
  conversionsPerPartner: Hook;
  /** onRequest on the public endpoints the tracker and widget call. */
  publicWritesPerIp: Hook;
}

const unlimited: Hook = async () => {};

export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<RateLimitHooks> {
  await app.register(rateLimit, { global: false });
  const limiter = (max: number, key: (request: FastifyRequest) => string, what: string): Hook => {
    if (max === 0) return unlimited;
    const check = app.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: key });
    return async (request, reply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      reply.header('retry-after', String(Math.max(1, Math.ceil(result.ttl / 1000))));
      throw new ApiError('RATE_LIMITED', `Too many ${what}: at most ${max} per minute. Retry after the indicated delay.`, {
        retryAfterMs: result.ttl,
      });
    };
  };
  return {
    writesPerIp: limiter(limits.writesPerMinute, (request) => request.ip, 'write requests from this IP'),
    conversionsPerPartner: limiter(limits.conversionsPerMinute, (request) => request.partner.partnerId, 'conversion reports'),
    publicWritesPerIp: limiter(limits.publicWritesPerMinute, (request) => request.ip, 'requests from this IP'),
  };
}

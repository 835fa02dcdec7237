/**
 * @module
 * The partner API's rate limits, counted by @fastify/rate-limit: write
 * requests per client IP, and conversion reports per partner. Over a limit the
 * answer is 429 RATE_LIMITED with `Retry-After` (seconds) and `retryAfterMs`.
 * The client IP is the socket's unless `trustProxy` is set.
 *
 * Counts live in this process's memory, or in the database, where every
 * server on it counts together (the default on PostgreSQL).
 */
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/api-error.ts';
import type { Store } from '../store/connect.ts';
import { countHit, sweepRateLimitCounters } from '../store/rate-limit-counters.ts';

const MINUTE_MS = 60_000;

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface RateLimits {
  /** Write requests per minute per IP; 0 turns the limit off. */
  writesPerMinute: number;
  /** Conversion reports per minute per partner; 0 turns the limit off. */
  conversionsPerMinute: number;
  /** Public (unauthenticated) writes per minute per IP; 0 turns the limit off. */
  publicWritesPerMinute: number;
  /** Where hits are counted. */
  counter: { in: 'memory' } | { in: 'database'; store: Store };
  /** Whether client IPs come from X-Forwarded-For; off, a proxy in front is worth a warning. */
  trustProxy: boolean;
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
  const counter = limits.counter;
  await app.register(rateLimit, { global: false, ...(counter.in === 'database' && { store: databaseCounter(counter.store) }) });
  if (!limits.trustProxy) warnOnceBehindProxy(app);

  // Every limit's keys start with its name: a database counter holds them all in one table.
  const limiter = (name: string, max: number, key: (request: FastifyRequest) => string, what: string): Hook => {
    if (max === 0) return unlimited;
    const check = app.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: (request) => `${name}:${key(request)}` });
    return async (request, reply) => {
      let result;
      try {
        result = await check(request);
      } catch (error) {
        // Fail open: a counter we cannot reach must not turn away the partner's paying traffic.
        request.log.warn({ err: error }, 'rate limit not counted: the counter failed; the request goes through');
        return;
      }
      if (result.isAllowed || !result.isExceeded) return;
      reply.header('retry-after', String(Math.max(1, Math.ceil(result.ttl / 1000))));
      throw new ApiError('RATE_LIMITED', `Too many ${what}: at most ${max} per minute. Retry after the indicated delay.`, {
        retryAfterMs: result.ttl,
      });
    };
  };
  return {
    writesPerIp: limiter('write', limits.writesPerMinute, (request) => request.ip, 'write requests from this IP'),
    conversionsPerPartner: limiter('convert', limits.conversionsPerMinute, (request) => request.partner.partnerId, 'conversion reports'),
    publicWritesPerIp: limiter('public', limits.publicWritesPerMinute, (request) => request.ip, 'requests from this IP'),
  };
}

/**
 * @fastify/rate-limit's store interface over the database's counters. Ended
 * windows are swept at most once a minute per process, by whoever counts then.
 */
function databaseCounter(store: Store): FastifyRateLimitStoreCtor {
  let lastSweep = 0;
  return class DatabaseCounter implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      countHit(store.db, key, timeWindow, now).then(
        ({ hits, windowStart }) => callback(null, { current: hits, ttl: Math.max(1, windowStart + timeWindow - now) }),
        (error: Error) => callback(error),
      );
      if (now - lastSweep >= MINUTE_MS) {
        lastSweep = now;
        sweepRateLimitCounters(store.db, now - timeWindow).catch(() => { /* the next sweep tries again */ });
      }
    }

    // One table for every limit: the keys carry the limit's name.
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

/** Behind a proxy without trust-proxy, every visitor shares the proxy's IP, and so one allowance: say so once. */
function warnOnceBehindProxy(app: FastifyInstance): void {
  let warned = false;
  app.addHook('onRequest', async (request) => {
    if (warned || request.headers['x-forwarded-for'] === undefined) return;
    warned = true;
    request.log.warn('A request came through a proxy (X-Forwarded-For) but --trust-proxy / OFFERTOWN_TRUST_PROXY is off: '
      + 'rate limits count every client behind it as the proxy\'s one IP. Set it to the proxy\'s address (or true) if you run behind one.');
  });
}

/**
 * @module
 * Builds the HTTP app without listening, so tests inject requests and the CLI
 * decides where it listens.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiLimits } from '../contract/referrals.ts';
import { rateLimitCounter, type Config } from './config.ts';
import { maskApiKeys } from './domain/api-key.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { authenticatePartner } from './http/auth.ts';
import { sendFrameworkError, useErrorResponses } from './http/error-response.ts';
import { useInputGuards } from './http/input-guards.ts';
import { useJsonBodies } from './http/json-body.ts';
import { registerRateLimits, type RateLimitHooks } from './http/rate-limit.ts';
import { useSecurityHeaders } from './http/security-headers.ts';
import { visitorHasher, type VisitorHash } from './http/visitor-hash.ts';
import { apiDocsRoutes, registerOpenApi } from './routes/api-docs.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { healthRoutes } from './routes/health.ts';
import { partnerExtensionRoutes } from './routes/partner-extensions.ts';
import { partnerProgramRoutes } from './routes/partner-program.ts';
import { partnerReferralRoutes } from './routes/partner-referrals.ts';
import { publicReferralRoutes } from './routes/public-referrals.ts';
import { referralLinkRoutes } from './routes/referral-links.ts';
import { trackerRoutes } from './routes/tracker.ts';
import { widgetRoutes } from './routes/widget.ts';
import type { Store } from './store/connect.ts';
import { serverSecret } from './store/server-secrets.ts';
import { VERSION } from './version.ts';


/** What every route module may use. */
export interface RouteDeps {
  config: Config;
  store: Store;
  clock: Clock;
  rateLimits: RateLimitHooks;
  demo?: DemoControls | undefined;
  visitorHash: VisitorHash;
}

/** What `offertown demo` adds to the dashboard: a way to run the background jobs at once. */
export interface DemoControls {
  runJobs(): Promise<void>;
}

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  /** Where log lines go instead of stdout: lets tests read what the server logs. */
  logStream?: { write(line: string): void };
  /** Demo-only dashboard controls; never set by `serve`. */
  demo?: DemoControls;
}

export async function buildApp({ config, store, clock = systemClock, logStream, demo }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Keys and passwords never reach a log line, whatever a future serializer includes.
      redact: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
      serializers: {
        // Fastify's own request fields, with a key pasted into the URL by mistake kept out too.
        req: (raw) => {
          const req = raw as unknown as FastifyRequest;
          return { method: req.method, url: maskApiKeys(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
        },
      },
      ...(logStream && { stream: logStream }),
    },
    // randomUUID draws from a pooled random buffer: ~0.2 µs against randomBytes' ~6 µs. Its last 16 hex digits hold 62 random bits.
    genReqId: () => `req_${randomUUID().replaceAll('-', '').slice(-16)}`,
    // Never adopt a client's X-Request-Id: our ID must be unique to be useful to support.
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    return503OnClosing: true,
    frameworkErrors: sendFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  useErrorResponses(app);
  useSecurityHeaders(app);
  useJsonBodies(app);
  useInputGuards(app);
  await registerOpenApi(app, VERSION);

  const limits: ApiLimits = { metadataBytes: config.metadataLimit, searchChars: config.searchLimit, maxPageSize: config.maxPageSize };
  const rateLimits = await registerRateLimits(app, {
    writesPerMinute: config.writeRateLimit,
    conversionsPerMinute: config.conversionRateLimit,
    publicWritesPerMinute: config.publicRateLimit,
    counter: rateLimitCounter(config) === 'database' ? { in: 'database', store } : { in: 'memory' },
    trustProxy: config.trustProxy !== false,
  });

  const visitorHash = visitorHasher(await serverSecret(store.db, 'visitor-hash', clock.now()));
  const routeDeps: RouteDeps = { config, store, clock, rateLimits, demo, visitorHash };

  await app.register(async (partnerApi) => {
    // preParsing: after the routes' own onRequest hooks (the per-IP write limit), so
    // requests with a missing or wrong key are limited too; before the body is read.
    partnerApi.addHook('preParsing', authenticatePartner(store));
    await partnerReferralRoutes(partnerApi, { store, clock, limits, rateLimits });
    await partnerProgramRoutes(partnerApi, { store, clock, rateLimits });
    await partnerExtensionRoutes(partnerApi, routeDeps);
  }, { prefix: '/api/v1/partners' });

  await app.register(async (publicApi) => {
    await publicReferralRoutes(publicApi, { store, clock, rateLimits, visitorHash, disposableEmails: config.disposableEmails });
  }, { prefix: '/api/public' });

  await referralLinkRoutes(app, routeDeps);
  await trackerRoutes(app, routeDeps);
  await widgetRoutes(app, routeDeps);
  await dashboardRoutes(app, routeDeps);

  await healthRoutes(app, store);
  await apiDocsRoutes(app);
  return app;
}

/**
 * @module
 * The background jobs as the settings describe them: the payment provider,
 * the commission, the interval and the webhook timeout.
 */
import type { FastifyBaseLogger } from 'fastify';
import { VERSION } from '../version.ts';
import type { Config } from '../config.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { createProvider } from '../payments/create-provider.ts';
import type { Store } from '../store/connect.ts';
import { createJobs, type Jobs } from './run-jobs.ts';

/**
 * Not started yet; throws a ConfigError when the provider's settings are incomplete.
 * @example const jobs = jobsFromConfig(config, store, app.log); await jobs.start();
 */
export function jobsFromConfig(config: Config, store: Store, log: FastifyBaseLogger, clock: Clock = systemClock): Jobs {
  return createJobs({
    store,
    clock,
    provider: createProvider(config),
    commission: { basisPoints: config.commissionBps, fixed: config.commissionFixed },
    send: { timeoutMs: config.webhookTimeout, allowPrivate: config.webhookAllowPrivate, userAgent: `Offertown-Webhooks/${VERSION}` },
    intervalMs: config.jobInterval,
    onError: (job, error) => log.error({ err: error, job }, 'background job failed'),
  });
}

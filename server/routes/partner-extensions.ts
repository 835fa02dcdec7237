/**
 * @module
 * The partner API's documented extensions for the money flow: referrers,
 * rewards, refunds, billing, webhooks and events. Registered inside the partner API's authenticated scope.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';
import { partnerBillingRoutes } from './partner-billing.ts';
import { partnerReferrerRoutes } from './partner-referrers.ts';
import { partnerRewardRoutes } from './partner-rewards.ts';
import { partnerWebhookRoutes } from './partner-webhooks.ts';

/** @example await partnerExtensionRoutes(partnerApi, { config, store, clock, rateLimits }) */
export async function partnerExtensionRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  await partnerReferrerRoutes(app, deps);
  await partnerRewardRoutes(app, deps);
  await partnerBillingRoutes(app, deps);
  await partnerWebhookRoutes(app, deps);
}

/**
 * @module
 * GET /r/{code}: referral links (tracker issue). Placeholder until that issue lands.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

export async function referralLinkRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}

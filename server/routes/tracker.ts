/**
 * @module
 * GET /t.js and the tracker's endpoints (tracker issue). Placeholder until that issue lands.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

export async function trackerRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}

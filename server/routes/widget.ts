/**
 * @module
 * GET /widget/{programId}: the widget iframe (widget issue). Placeholder until that issue lands.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.ts';

export async function widgetRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}

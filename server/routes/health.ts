/**
 * @module
 * `GET /healthz`: 200 when the server can reach its database, for load
 * balancers and process supervisors.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../store/connect.ts';

export async function healthRoutes(app: FastifyInstance, store: Store): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await sql`select 1`.execute(store.db);
    return { ok: true, database: store.dialect };
  });
}

/**
 * @module
 * The tracker's own routes:
 * - `GET /t.js`: the script shops embed, as `vite build --mode tracker`
 *   wrote it (`dist/tracker/t.js`), gzipped when the browser accepts it;
 * - `POST /ot`: the server-set cookie endpoint for shops that forward a path
 *   of their own domain here from a reverse proxy (`data-cookie-path`); the
 *   same answer as the Node middleware in `tracker/middleware.ts`.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { attributionSetCookie, cookieRequestBody } from '../../tracker/middleware.ts';
import type { RouteDeps } from '../app.ts';
import { ApiError, invalidField } from '../domain/api-error.ts';
import { getProgram } from '../store/programs.ts';

const SCRIPT = new URL('../../dist/tracker/t.js', import.meta.url);

interface Script {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

export async function trackerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { store, clock } = deps;
  let script: Script | null = null;

  // Read once, and again only when a new build replaced the file.
  const load = async (): Promise<Script | null> => {
    const file = await stat(SCRIPT).catch(() => null);
    if (!file) return null;
    if (script?.mtimeMs !== file.mtimeMs) {
      const body = await readFile(SCRIPT);
      script = { mtimeMs: file.mtimeMs, body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    }
    return script;
  };

  app.get('/t.js', { schema: { hide: true } }, async (request, reply) => {
    const current = await load();
    if (!current) {
      request.log.error('dist/tracker/t.js is missing: run `npm run build`');
      return reply.code(404).type('text/javascript; charset=utf-8').send('/* Offertown tracker not built */');
    }
    reply
      .type('text/javascript; charset=utf-8')
      // Short, so a new version reaches shops within the hour; revalidation by ETag is cheap.
      .header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400')
      .header('etag', current.etag)
      .header('vary', 'accept-encoding')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*');
    if (request.headers['if-none-match'] === current.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(current.gzip);
    return reply.send(current.body);
  });

  await app.register(async (scope) => {
    // The tracker sends its JSON as text/plain, like every request it makes.
    scope.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: 2048 }, (_request, body, done) => done(null, body));
    scope.post('/ot', { schema: { hide: true } }, async (request, reply) => {
      const body = cookieRequestBody(request.body);
      if (!body) throw invalidField('body', 'Must be the tracker\'s JSON');
      const program = body.p && /^pub_[0-9a-f]{1,40}$/.test(body.p) ? await getProgram(store.db, body.p) : null;
      if (!program) throw new ApiError('NOT_FOUND', 'Unknown program');
      const answer = attributionSetCookie(
        { body, origin: request.headers.origin, cookie: request.headers.cookie },
        program.attributionWindowDays,
        clock.now(),
      );
      if (answer.status !== 204) throw invalidField('body', answer.error);
      return reply.code(204).header('cache-control', 'no-store').header('set-cookie', answer.setCookie).send();
    });
  });
}

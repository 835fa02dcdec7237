/**
 * @module
 * The widget iframe. `GET /widget/{programId}` serves the built page with the
 * program's settings inlined, framable by the program's allowed origins only;
 * `GET /widget/assets/{file}` serves its hashed script and styles, cached for
 * a year. An unknown program gets a short page saying so, not an error body.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../app.ts';
import { getProgram } from '../store/programs.ts';
import { widgetView } from '../widget/config.ts';
import { CLOSED_CSP, widgetCsp } from '../widget/csp.ts';
import { widgetFiles } from '../widget/files.ts';
import { fromAcceptLanguage, localeOf } from '../widget/locale.ts';
import { notFoundPage, scriptJson } from '../widget/page.ts';
import { escapeHtml } from '../dashboard/html.ts';
import { MESSAGES } from '../../widget/messages/index.ts';

const DIST = fileURLToPath(new URL('../../dist/widget/', import.meta.url));
const PROGRAM_ID = /^pub_[0-9a-f]{1,40}$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Settings changes (colours, allowed origins) reach embedded widgets within a minute. */
const PAGE_CACHE = 'public, max-age=60';

const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');

export async function widgetRoutes(app: FastifyInstance, { store }: RouteDeps): Promise<void> {
  const files = widgetFiles(DIST);

  app.get('/widget/assets/:file', async (request, reply) => {
    const asset = files.asset((request.params as { file: string }).file);
    if (!asset) return reply.callNotFound();
    const gzip = acceptsGzip(request);
    reply.type(asset.type).header('cache-control', IMMUTABLE).header('vary', 'accept-encoding').header('content-security-policy', CLOSED_CSP);
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gzip : asset.body);
  });

  app.get('/widget/:programId', async (request, reply) => {
    const { programId } = request.params as { programId: string };
    const query = request.query as Record<string, unknown>;
    const acceptLanguage = request.headers['accept-language'];
    reply.type('text/html; charset=utf-8').header('vary', 'accept-language, accept-encoding');

    const program = PROGRAM_ID.test(programId) ? await getProgram(store.db, programId) : null;
    if (!program) {
      const locale = localeOf(typeof query.locale === 'string' ? query.locale : undefined) ?? fromAcceptLanguage(acceptLanguage) ?? 'en';
      return reply.code(404).header('cache-control', 'no-store').header('content-security-policy', CLOSED_CSP).send(notFoundPage(MESSAGES[locale], locale));
    }
    const template = files.template();
    if (!template) {
      request.log.error('the widget is not built: run `npm run build`');
      return reply.code(503).header('cache-control', 'no-store').header('content-security-policy', CLOSED_CSP).send('The widget is not built yet.');
    }

    const { config, locale, theme } = widgetView(program, query, acceptLanguage);
    const html = template({
      __OT_LANG__: locale,
      __OT_THEME__: theme,
      __OT_TITLE__: escapeHtml(`${config.brand} – ${MESSAGES[locale].form}`),
      __OT_CONFIG__: scriptJson(config),
    });
    reply.header('content-security-policy', widgetCsp(config.origins, config.logoUrl)).header('cache-control', PAGE_CACHE);
    // About 2.5 KB, so compressing each view costs less than sending it whole.
    return acceptsGzip(request) ? reply.header('content-encoding', 'gzip').send(gzipSync(html)) : reply.send(html);
  });
}

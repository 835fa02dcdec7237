/**
 * @module
 * JSON is the only body the API reads. An empty body reads as "no body", since
 * many HTTP clients send `Content-Type: application/json` on a bare POST; the
 * schemas then decide whether a body was required.
 */
import type { FastifyInstance } from 'fastify';

export function useJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    parseJson(request, text, done);
  });
}

/**
 * @module
 * Headers every response carries. Framing is denied everywhere; the widget's
 * routes replace that with their program's own frame-ancestors.
 */
import type { FastifyInstance } from 'fastify';

export function useSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    if (!reply.hasHeader('content-security-policy')) reply.header('x-frame-options', 'DENY');
  });
}

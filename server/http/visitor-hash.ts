/**
 * @module
 * A visitor's fingerprint for counting repeated clicks once and for finding a
 * visitor's click again: an HMAC of the IP address and user agent under a
 * server secret, so what is stored cannot be turned back into an address.
 */
import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export type VisitorHash = (request: FastifyRequest) => string;

/** @example const hash = visitorHasher(secret); hash(request) // 64 hex characters */
export function visitorHasher(secret: string): VisitorHash {
  return (request) => createHmac('sha256', secret).update(`${request.ip}\n${request.headers['user-agent'] ?? ''}`).digest('hex');
}

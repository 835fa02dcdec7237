/**
 * @module
 * The server's own base URL as browsers reach it: the configured public URL,
 * else the address this request came to. Links and snippets are built on it.
 */
import type { FastifyRequest } from 'fastify';

/** @example serverUrl(request, 'https://ref.example.com/') // 'https://ref.example.com' */
export function serverUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
}

/** Share links: `<server>/r/<code>`. */
export function shareUrls(request: FastifyRequest, publicUrl: string | undefined): (code: string) => string {
  const base = serverUrl(request, publicUrl);
  return (code) => `${base}/r/${code}`;
}

/**
 * @module
 * API-key authentication of the partner API: `X-API-Key` resolves to the
 * partner and its program, on every request, so a rotated key or an approval
 * takes effect at once.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../domain/api-error.ts';
import { findKeyOwner } from '../store/partners.ts';
import type { Store } from '../store/connect.ts';

export interface Partner {
  partnerId: string;
  programId: string;
  attributionWindowDays: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticatePartner` on partner API routes. */
    partner: Partner;
  }
}

/** A hook (preParsing in app.ts) that admits approved partners only. */
export function authenticatePartner(store: Store) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey) throw new ApiError('MISSING_API_KEY', 'Send your API key in the X-API-Key header');
    const owner = await findKeyOwner(store.db, apiKey);
    if (!owner) throw new ApiError('INVALID_API_KEY', 'The API key is not valid; it may have been rotated');
    if (!owner.approved) throw new ApiError('PARTNER_NOT_APPROVED', 'Your partner account is not approved yet');
    request.partner = { partnerId: owner.partnerId, programId: owner.programId, attributionWindowDays: owner.attributionWindowDays };
  };
}

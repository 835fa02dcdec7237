/**
 * @module
 * API-key authentication of the partner API: `X-API-Key` resolves to the
 * partner and its program, on every request, so a rotated key or an approval
 * takes effect at once.
 *
 * On SQLite the owner is cached until the database's write version changes
 * (any write, by this process or another), which keeps that promise and saves a
 * joined query per read request. The cache holds the stored hash, never the key,
 * and every request's key is still checked against it in constant time.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../domain/api-error.ts';
import { findKeyOwner, findLiveKey, type KeyOwner } from '../store/partners.ts';
import { apiKeyMatches, lookupOf } from '../domain/api-key.ts';
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
  const ownerOf = store.writeVersion ? cachedKeyOwners(store, store.writeVersion) : (apiKey: string) => findKeyOwner(store.db, apiKey);
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey) throw new ApiError('MISSING_API_KEY', 'Send your API key in the X-API-Key header');
    const owner = await ownerOf(apiKey);
    if (!owner) throw new ApiError('INVALID_API_KEY', 'The API key is not valid; it may have been rotated');
    if (!owner.approved) throw new ApiError('PARTNER_NOT_APPROVED', 'Your partner account is not approved yet');
    request.partner = { partnerId: owner.partnerId, programId: owner.programId, attributionWindowDays: owner.attributionWindowDays };
  };
}

/** Live keys remembered at most; a server has one per partner using the API. */
const KEY_CACHE_SIZE = 1000;

/** `findKeyOwner`, remembered per key lookup until `writeVersion` changes. Unknown keys are not remembered. */
function cachedKeyOwners(store: Store, writeVersion: () => string) {
  let version = '';
  const owners = new Map<string, { hash: string; owner: KeyOwner }>();
  return async (apiKey: string): Promise<KeyOwner | null> => {
    const current = writeVersion();
    if (current !== version) {
      owners.clear();
      version = current;
    }
    const cached = owners.get(lookupOf(apiKey));
    if (cached && apiKeyMatches(apiKey, cached.hash)) return cached.owner;
    const found = await findLiveKey(store.db, apiKey);
    // Remember it only if nothing was written while we read; otherwise the next request reads again.
    if (found && writeVersion() === current) {
      if (owners.size >= KEY_CACHE_SIZE) owners.clear();
      owners.set(lookupOf(apiKey), found);
    }
    return found?.owner ?? null;
  };
}

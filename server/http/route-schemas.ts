/**
 * @module
 * Schema pieces every partner API route shares, written once.
 */
import { z } from 'zod';
import { errorResponse } from '../../contract/errors.ts';

/** No query parameters: a stray one (`?partnerId=`) is an error, not ignored. */
export const noQuery = z.strictObject({});

/**
 * The error responses of a partner API route, for the OpenAPI document: the
 * ones every authenticated route can give (400, 401, 403, 429) and `extra`.
 * @example response: { 200: referral, ...partnerErrors(404) }
 */
export function partnerErrors(...extra: Array<404 | 409>): Record<number, typeof errorResponse> {
  return Object.fromEntries([400, 401, 403, 429, ...extra].map((status) => [status, errorResponse]));
}

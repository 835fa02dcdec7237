/**
 * @module
 * The one error shape of every Offertown response that is not a success,
 * with the codes of the REST API reference's error table.
 */
import { z } from 'zod';

/** HTTP status of each error code; the single place a code becomes a status. */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  MISSING_API_KEY: 401,
  INVALID_API_KEY: 401,
  PARTNER_NOT_APPROVED: 403,
  NOT_FOUND: 404,
  DUPLICATE_CONVERSION: 409,
  /** Extension: converting a referral whose attribution window has passed. */
  REFERRAL_EXPIRED: 409,
  /** Extension: approving, rejecting or refunding a referral that was never converted. */
  REFERRAL_NOT_CONVERTED: 409,
  /** Extension: a reward cannot take the decision (a rejected one approved, a funded one rejected). */
  REWARD_CONFLICT: 409,
  /** Extension: an idempotency key reused with a different request. */
  IDEMPOTENCY_KEY_REUSED: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const errorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const fieldError = z.object({
  field: z.string().meta({ description: 'Dotted path of the offending field, or the query parameter name.' }),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldError>;

export const errorResponse = z
  .object({
    error: z.object({
      code: errorCode,
      message: z.string(),
      fields: z.array(fieldError).optional(),
      retryAfterMs: z.number().int().optional(),
      requestId: z.string().meta({ description: 'Quote it when you contact support; also in the X-Request-Id header.' }),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof errorResponse>;

/**
 * @module
 * The one error type. Anything below HTTP throws it with a code from the
 * reference's table; `http/error-handler.ts` is the one place that turns it
 * into a response.
 */
import { ERROR_STATUS, type ErrorCode, type FieldError } from '../../contract/errors.ts';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[] | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, extra: { fields?: FieldError[]; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = extra.fields;
    this.retryAfterMs = extra.retryAfterMs;
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A validation error about one field. */
export function invalidField(field: string, message: string): ApiError {
  return new ApiError('VALIDATION_ERROR', `${field}: ${message}`, { fields: [{ field, message }] });
}

export const referralNotFound = () => new ApiError('NOT_FOUND', 'Referral not found');

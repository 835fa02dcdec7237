import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../contract/errors.ts';
import { ApiError, invalidField, referralNotFound } from './api-error.ts';

describe('ApiError', () => {
  it('maps each code of the reference\'s error table to its HTTP status', () => {
    expect(ERROR_STATUS).toMatchObject({
      VALIDATION_ERROR: 400, MISSING_API_KEY: 401, INVALID_API_KEY: 401, PARTNER_NOT_APPROVED: 403,
      NOT_FOUND: 404, DUPLICATE_CONVERSION: 409, RATE_LIMITED: 429, INTERNAL_ERROR: 500,
    });
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(new ApiError(code as keyof typeof ERROR_STATUS, 'x').statusCode).toBe(status);
    }
  });

  it('carries fields and a retry delay when given', () => {
    const limited = new ApiError('RATE_LIMITED', 'slow down', { retryAfterMs: 1200 });
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 1200, fields: undefined });
    expect(limited).toBeInstanceOf(Error);
    expect(invalidField('friendEmail', 'Invalid email')).toMatchObject({
      code: 'VALIDATION_ERROR', message: 'friendEmail: Invalid email', fields: [{ field: 'friendEmail', message: 'Invalid email' }],
    });
    expect(referralNotFound()).toMatchObject({ code: 'NOT_FOUND', statusCode: 404 });
  });
});

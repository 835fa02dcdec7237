/**
 * @module
 * The one place an error becomes an HTTP response, always in the documented
 * shape. Whatever the cause (our ApiError, a schema, Fastify's body parser),
 * a client's mistake is a 400 VALIDATION_ERROR and only our own fault is a 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import type { ErrorResponse, FieldError } from '../../contract/errors.ts';
import { READ_ONLY_REFERRAL_FIELDS } from '../../contract/referrals.ts';
import { ApiError, invalidField } from '../domain/api-error.ts';

const READ_ONLY = new Set<string>(READ_ONLY_REFERRAL_FIELDS);

/** What Fastify itself rejects in a request: the part at fault, in words a client can act on. */
const FASTIFY_REQUEST_ERRORS: Record<string, FieldError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { field: 'body', message: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { field: 'body', message: 'The body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { field: 'body', message: 'Send the body as application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { field: 'body', message: 'The body is too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { field: 'body', message: 'The Content-Length header does not match the body' },
  FST_ERR_CTP_INVALID_CHARSET: { field: 'body', message: 'The body must be UTF-8' },
  FST_ERR_BAD_URL: { field: 'url', message: 'The URL is malformed' },
  FST_ERR_MAX_PARAM_LENGTH: { field: 'url', message: 'A part of the URL is too long' },
};

/** Field messages for a key the schema does not allow. */
function unknownKeyMessage(key: string): string {
  if (key === 'partnerId') return 'Not accepted: your API key identifies your partner account';
  if (READ_ONLY.has(key)) return 'Read-only; it cannot be set';
  return 'Unknown field';
}

function fieldErrors(context: string | undefined, issues: ZodFastifySchemaValidationError[]): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean);
    const keys = (issue.params as { keys?: string[] }).keys;
    if (issue.keyword === 'unrecognized_keys' && keys) {
      return keys.map((key) => ({ field: [...path, key].join('.'), message: unknownKeyMessage(key) }));
    }
    const field = path.join('.') || (context === 'body' ? 'body' : context ?? 'request');
    return [{ field, message: issue.message ?? 'Invalid value' }];
  });
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = fieldErrors((error as { validationContext?: string }).validationContext, error.validation);
    const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return new ApiError('VALIDATION_ERROR', summary || 'Invalid request', { fields });
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_REQUEST_ERRORS[fastifyError.code] : undefined;
  if (known) return new ApiError('VALIDATION_ERROR', known.message, { fields: [known] });
  if (fastifyError.statusCode === 404) return new ApiError('NOT_FOUND', 'Not found');
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return invalidField('request', fastifyError.message || 'Invalid request');
  }
  return new ApiError('INTERNAL_ERROR', 'Something went wrong on our side');
}

export function errorBody(error: ApiError, requestId: string): ErrorResponse {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields && { fields: error.fields }),
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      requestId,
    },
  };
}

/**
 * Fastify's `frameworkErrors` option: a URL the router cannot even decode
 * gets the documented shape too, instead of Fastify's own.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  reply.code(apiError.statusCode).header('x-request-id', request.id).send(errorBody(apiError, request.id));
}

/** Installs the error and not-found handlers on the app. */
export function useErrorResponses(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unhandled error');
    reply.code(apiError.statusCode).send(errorBody(apiError, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(new ApiError('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`), request.id));
  });
}

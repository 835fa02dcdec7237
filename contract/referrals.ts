/**
 * @module
 * The shapes of the partner REST API's referral resource, exactly as the
 * REST API reference documents them. Validation, TypeScript types and the
 * OpenAPI document all come from these schemas.
 */
import { z } from 'zod';
import { EMAIL, EMAIL_MAX, NAME_MAX, SHARE_CODE } from './friend-fields.ts';
import './messages.ts';

export const REFERRAL_STATUSES = ['clicked', 'pending', 'converted', 'expired'] as const;
export const referralStatus = z.enum(REFERRAL_STATUSES);
export type ReferralStatus = z.infer<typeof referralStatus>;

/** The limits a self-hoster may change; the reference's values are the defaults. */
export interface ApiLimits {
  /** Largest `metadata` object, as UTF-8 bytes of its JSON. */
  metadataBytes: number;
  /** Longest `search` query parameter. */
  searchChars: number;
  /** Largest `pageSize`. */
  maxPageSize: number;
}

export const DEFAULT_API_LIMITS = {
  metadataBytes: 4096,
  searchChars: 256,
  maxPageSize: 100,
} as const satisfies ApiLimits;

/** Fields a client may never send; named so the error can say why. */
export const READ_ONLY_REFERRAL_FIELDS = [
  'referralId', 'referralCode', 'status', 'friendEmail', 'friendName', 'referrerIdentifier',
  'createdAt', 'convertedAt', 'conversionValue', 'currency', 'externalTransactionId',
] as const;

// Field shapes shared by the partner API and the widget's form.
// Trimmed before the check: a stray space pasted from a form or a spreadsheet is not a different address.
export const friendEmail = z.string().trim().max(EMAIL_MAX).pipe(z.email({ pattern: EMAIL, error: 'Invalid email' })).meta({ format: 'email' });
export const friendName = z.string().trim().min(1, 'Required').max(NAME_MAX);
export const referrerIdentifier = z
  .string()
  .min(1, 'Required')
  .max(256)
  .regex(/^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u, 'Must be printable, without leading or trailing spaces');
export const externalId = z.string().min(1).max(256);
export const referralCode = z.string().regex(SHARE_CODE).meta({ example: 'a1b2c3d4' });
export const epochMs = z.number().int().meta({ description: 'Epoch milliseconds', example: 1765467600000 });

/** Free-form JSON object, at most `maxBytes` when serialised. */
export function metadataSchema(maxBytes: number) {
  return z
    .record(z.string(), z.unknown())
    .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= maxBytes, {
      error: `Must be at most ${maxBytes} bytes as JSON`,
    })
    .meta({ description: `Free-form JSON object, up to ${maxBytes} bytes.` });
}

export const referral = z
  .object({
    referralId: z.string().meta({ example: 'ref_7kq3m9x2p4w8r6t1' }),
    referralCode,
    status: referralStatus,
    friendEmail: z.string().nullable(),
    friendName: z.string().nullable(),
    createdAt: epochMs,
    convertedAt: epochMs.nullable(),
    conversionValue: z.string().nullable().meta({ description: 'Cents as a decimal string', example: '12999' }),
    currency: z.literal('EUR').nullable(),
    referrerIdentifier: z.string(),
    externalSourceId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Referral' });
export type Referral = z.infer<typeof referral>;

export const referralIdParams = z.strictObject({ referralId: z.string().min(1).max(64) });

/** Non-negative integer given as a query string, strictly digits. */
const queryInt = z.string().regex(/^\d{1,15}$/, 'Must be a whole number').transform(Number);

export const SORT_FIELDS = ['createdAt', 'convertedAt', 'conversionValue'] as const;

/** Every request and response shape of the referral resource, for the given limits. */
export function referralSchemas(limits: ApiLimits) {
  const metadata = metadataSchema(limits.metadataBytes);

  const listQuery = z
    .strictObject({
      status: referralStatus.optional(),
      referrerEmail: z.email().max(254).optional(),
      dateFrom: queryInt.optional(),
      dateTo: queryInt.optional(),
      search: z.string().max(limits.searchChars).optional(),
      sortBy: z.enum(SORT_FIELDS).default('createdAt'),
      sortOrder: z.enum(['asc', 'desc']).default('desc'),
      page: queryInt.pipe(z.number().min(1, 'Must be at least 1')).default(1),
      pageSize: queryInt
        .pipe(z.number().min(1, 'Must be at least 1').max(limits.maxPageSize, `Must be at most ${limits.maxPageSize}`))
        .default(25),
    })
    .refine((q) => q.dateFrom === undefined || q.dateTo === undefined || q.dateFrom <= q.dateTo, {
      error: 'Must not be before dateFrom',
      path: ['dateTo'],
    });

  const listResponse = z.object({
    referrals: z.array(referral),
    pagination: z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }),
  });

  const createBody = z.strictObject({
    referrerIdentifier,
    friendEmail,
    friendName,
    externalSourceId: externalId.optional(),
    metadata: metadata.optional(),
  });

  const createResponse = z.object({
    referralId: z.string(),
    referralCode,
    status: referralStatus,
    idempotent: z.boolean(),
  });

  const updateBody = z.strictObject({
    externalSourceId: externalId.nullable().optional(),
    metadata: metadata.optional(),
  });

  const convertBody = z.strictObject({
    conversionValue: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional()
      .meta({ description: 'Order value in cents (integer)', example: 12999 }),
    currency: z.literal('EUR', { error: 'Only EUR is supported' }).optional(),
    externalTransactionId: externalId.optional()
      .meta({ description: 'Your order ID; the idempotency key of the conversion', example: 'order_77' }),
    metadata: metadata.optional(),
  });

  const convertResponse = z.object({
    referralId: z.string(),
    status: z.literal('converted'),
    convertedAt: epochMs,
    conversionValue: z.string().nullable(),
    idempotent: z.boolean(),
  });

  return { listQuery, listResponse, createBody, createResponse, updateBody, convertBody, convertResponse };
}

export type ReferralSchemas = ReturnType<typeof referralSchemas>;
export type ListReferralsQuery = z.output<ReferralSchemas['listQuery']>;
export type CreateReferralBody = z.output<ReferralSchemas['createBody']>;
export type UpdateReferralBody = z.output<ReferralSchemas['updateBody']>;
export type ConvertReferralBody = z.output<ReferralSchemas['convertBody']>;

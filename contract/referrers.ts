/**
 * @module
 * The referrer resource (documented extension of the partner API): the
 * partner's own customers who share links, with their share code and link,
 * their referrals counted by status, and their wallet.
 */
import { z } from 'zod';
import './messages.ts';
import { referralCode, referrerIdentifier } from './referrals.ts';
import { pageQuery, pagination } from './rewards.ts';

export const referrer = z
  .object({
    referrerIdentifier: z.string().meta({ description: 'Your identifier for the referrer', example: 'cust_42' }),
    email: z.string().nullable(),
    referralCode,
    shareUrl: z.string().meta({ description: 'The link the referrer shares: <server>/r/<referralCode>', example: 'https://refer.shop.example/r/a1b2c3d4' }),
    createdAt: z.number().int().meta({ description: 'Epoch milliseconds' }),
    counts: z.object({
      clicked: z.number().int(),
      pending: z.number().int(),
      converted: z.number().int(),
      expired: z.number().int(),
    }).meta({ description: 'The referrer\'s referrals by status, as the referral list shows them' }),
    walletBalance: z.number().int().meta({
      description: 'Cents in the referrer\'s wallet: funded rewards less clawbacks; negative when a clawback exceeded it (later rewards offset it)',
    }),
  })
  .meta({ id: 'Referrer' });
export type Referrer = z.infer<typeof referrer>;

export const referrerCreate = z.strictObject({
  referrerIdentifier,
  email: z.email({ error: 'Invalid email' }).max(254).optional().meta({ description: 'Lets friends find the referrer by email in the widget' }),
});
export type ReferrerCreate = z.infer<typeof referrerCreate>;

export const referrerParams = z.strictObject({ referrerIdentifier });

export function referrerListQuery(maxPageSize: number) {
  return z.strictObject({
    email: z.email().max(254).optional(),
    ...pageQuery(maxPageSize),
  });
}

export const referrerList = z.object({ referrers: z.array(referrer), pagination });

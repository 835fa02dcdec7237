/**
 * @module
 * Shapes of the public endpoints the tracker and the widget call. The widget
 * validates its form with `friendSubmission` too, so the friend sees the
 * server's rules before sending.
 */
import { z } from 'zod';
import { CLICK_ID, EMAIL, EMAIL_MAX } from './friend-fields.ts';
import './messages.ts';
import { friendEmail, friendName, referralCode, referralStatus } from './referrals.ts';

export const friendSubmission = z.strictObject({
  friendEmail,
  friendName,
  code: referralCode.optional().meta({ description: 'The referrer\'s share code' }),
  clickId: z.string().regex(CLICK_ID).optional().meta({ description: 'The click the friend came from (ot_click)' }),
  referrerEmail: z.email({ pattern: EMAIL }).max(EMAIL_MAX).optional().meta({ description: 'Typed by a friend who has no code' }),
  consent: z.literal(true, { error: 'Please accept the terms' }).optional(),
  /** The honeypot: hidden from people, so only bots fill it. */
  website: z.string().max(500).optional(),
});
export type FriendSubmission = z.infer<typeof friendSubmission>;

export const publicReferralResponse = z.object({
  referralId: z.string(),
  status: referralStatus,
  idempotent: z.boolean(),
});

export const clickReport = z.strictObject({ code: referralCode });

export const clickResponse = z.object({
  clickId: z.string(),
  counted: z.boolean(),
});

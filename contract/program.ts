/**
 * @module
 * A program's settings: the one place a program is configured, shared by the
 * CLI (`offertown program show|set`) and the partner API (`GET/PATCH
 * /api/v1/partners/program`). Later parts (tracker, widget, money flow) add
 * their fields here.
 */
import { z } from 'zod';
import './messages.ts';
import { programRewards, programRewardsUpdate } from './rewards.ts';

/** An absolute http(s) URL; anything else (javascript:, data:) is refused. */
export const httpUrl = z
  .url({ protocol: /^https?$/, error: 'Must be an http or https URL' })
  .max(2048);

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
export const origin = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && url.origin === value;
    } catch {
      return false;
    }
  }, 'Must be an origin such as https://shop.example (no path, no trailing slash)');

export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Must be a colour such as #1a73e8');

export const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl'] as const;
export type Locale = (typeof LOCALES)[number];

export const branding = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    logoUrl: httpUrl.nullable().optional(),
    primaryColor: hexColor.optional(),
    headline: z.string().trim().max(200).optional(),
    text: z.string().trim().max(1000).optional(),
    buttonLabel: z.string().trim().min(1).max(60).optional(),
    theme: z.enum(['light', 'dark']).optional(),
    locale: z.enum(LOCALES).nullable().optional()
      .meta({ description: 'Fixed locale; null lets the browser choose' }),
    termsUrl: httpUrl.nullable().optional()
      .meta({ description: 'Terms the friend accepts in the widget; linked from its consent checkbox' }),
    friendRewardText: z.string().trim().max(200).nullable().optional()
      .meta({ description: 'What the friend gets, shown on the widget\'s success screen, e.g. "10 € off your first order"' }),
  })
  .meta({ id: 'Branding' });
export type Branding = z.infer<typeof branding>;

export const program = z
  .object({
    programId: z.string().meta({ example: 'pub_3f9a1c7e5b2d8a64' }),
    name: z.string(),
    landingUrl: httpUrl.nullable().meta({ description: 'Where referral links send friends' }),
    allowedOrigins: z.array(origin).meta({ description: 'Origins allowed to embed the widget' }),
    attributionWindowDays: z.number().int(),
    branding,
    rewards: programRewards,
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .meta({ id: 'Program' });
export type Program = z.infer<typeof program>;

export const programUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  landingUrl: httpUrl.nullable().optional(),
  allowedOrigins: z.array(origin).max(50).optional(),
  attributionWindowDays: z.number().int().min(1).max(365).optional(),
  branding: branding.optional(),
  rewards: programRewardsUpdate.optional().meta({ description: 'Merged field by field; a reward rule is replaced as a whole' }),
});
export type ProgramUpdate = z.infer<typeof programUpdate>;

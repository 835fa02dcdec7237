/**
 * @module
 * What a new program starts with.
 */
import type { Branding } from '../../contract/program.ts';

/** The attribution window the product promises: 90 days, first touch. */
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 90;

export const DEFAULT_BRANDING = {
  primaryColor: '#4f46e5',
  theme: 'light',
  locale: null,
} as const satisfies Branding;

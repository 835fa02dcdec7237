/**
 * @module
 * Content-Security-Policy of the widget's responses. Framing is allowed to
 * the program's own origins only (never `*`); with a CSP present,
 * `http/security-headers.ts` sends no `X-Frame-Options`.
 */
import { origin } from '../../contract/program.ts';

/** For responses nobody frames: the unknown-program page and the assets. */
export const CLOSED_CSP = "default-src 'none'; frame-ancestors 'none'";

/** @example frameAncestors(['https://shop.example']) // 'frame-ancestors https://shop.example' */
export function frameAncestors(origins: string[]): string {
  // Checked again: an origin lands in a header, where a stray ';' would add a directive.
  const allowed = origins.filter((o) => origin.safeParse(o).success && /^[\w.:/[\]-]+$/.test(o));
  return `frame-ancestors ${allowed.length ? allowed.join(' ') : "'none'"}`;
}

/** The widget page's policy: its own script, styles and API, the logo's origin, and the program's embedders. */
export function widgetCsp(origins: string[], logoUrl: string | null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self'${logoUrl ? ` ${new URL(logoUrl).origin}` : ''}`,
    "connect-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    frameAncestors(origins),
  ].join('; ');
}

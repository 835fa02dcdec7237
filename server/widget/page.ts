/**
 * @module
 * HTML of the widget: the built template with its markers filled, each value
 * escaped for where it lands, and the page for a program that does not exist.
 */
import { escapeHtml } from '../dashboard/html.ts';
import type { Messages } from '../../widget/messages/index.ts';

/** The markers `widget/index.html` holds, each exactly once. */
const MARKERS = ['__OT_LANG__', '__OT_THEME__', '__OT_TITLE__', '__OT_CONFIG__'] as const;
type Marker = (typeof MARKERS)[number];

/** Fills the template; values are inserted as given, so escape them first. */
export type Template = (values: Record<Marker, string>) => string;

/** JSON safe inside `<script>`: no `<` can close the element, no `&` or line separator can change it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Splits the template at its markers once; throws when the build lost one. */
export function compileTemplate(html: string): Template {
  const parts = html.split(/(__OT_[A-Z]+__)/);
  for (const marker of MARKERS) {
    if (parts.filter((p) => p === marker).length !== 1) throw new Error(`widget template: ${marker} must appear exactly once`);
  }
  return (values) => parts.map((part, i) => (i % 2 ? values[part as Marker] : part)).join('');
}

export function notFoundPage(t: Messages, lang: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(t.notFound)}</title></head>
<body><main><h1>${escapeHtml(t.notFound)}</h1><p>${escapeHtml(t.notFoundText)}</p></main></body></html>
`;
}

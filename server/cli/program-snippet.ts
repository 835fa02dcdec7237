/**
 * @module
 * `offertown program snippet`: what a site owner pastes, from the same
 * `embedSnippets` the dashboard shows, with a word on each part and a warning
 * when browsers would refuse to show the widget.
 */
import type { Program } from '../../contract/program.ts';
import type { Config } from '../config.ts';
import { embedSnippets } from '../domain/embed-snippet.ts';

/** The server's URL for snippets: the public URL when set, else where it listens. */
export function snippetServerUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

export interface ProgramSnippet {
  /** The HTML to paste, with comments. */
  html: string;
  /** What stops it from working as is, for standard error. */
  warnings: string[];
}

/**
 * @example programSnippet(program, 'https://ref.example.com').html // '<!-- … --><iframe src="https://ref.example.com/widget/pub_…" …'
 */
export function programSnippet(program: Program, serverUrl: string, publicUrlSet: boolean): ProgramSnippet {
  const { widget, tracker } = embedSnippets(serverUrl, program.programId, program.attributionWindowDays);
  const html = `<!-- Offertown widget: where referred friends sign up. Without the tracker it shows at this height. -->
${widget}

<!-- Optional, in your site's <head>: keeps the referral on your own domain for ${program.attributionWindowDays} days,
     hands it to the widget and sizes the widget to its content. -->
${tracker}
`;
  const warnings = [
    ...(program.allowedOrigins.length ? [] : [
      `Program ${program.programId} allows no origin, so browsers will refuse to show the widget. Add your site's:`,
      `  offertown program set ${program.programId} --allowed-origins https://shop.example,https://www.shop.example`,
    ]),
    ...(publicUrlSet ? [] : [`Using ${serverUrl}; pass --public-url (or set OFFERTOWN_PUBLIC_URL) to the URL browsers reach the server at.`]),
  ];
  return { html, warnings };
}

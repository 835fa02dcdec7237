/**
 * @module
 * The snippets a site owner pastes: the tracker tag and the widget iframe.
 * The CLI and the dashboard print the same text.
 */
import { WINDOW_DAYS } from '../../tracker/attribution.ts';

export interface EmbedSnippets {
  tracker: string;
  widget: string;
}

/**
 * The tracker's cookie lasts the program's attribution window: a window other
 * than the tracker's default is written into the tag, so a pasted snippet is right.
 * @example embedSnippets('https://ref.example.com', 'pub_1a2b', 90).tracker
 * // '<script async src="https://ref.example.com/t.js" data-program="pub_1a2b"></script>'
 * @example embedSnippets('https://ref.example.com', 'pub_1a2b', 30).tracker
 * // '<script async src="https://ref.example.com/t.js" data-program="pub_1a2b" data-window="30"></script>'
 */
export function embedSnippets(serverUrl: string, programId: string, attributionWindowDays: number): EmbedSnippets {
  const base = serverUrl.replace(/\/$/, '');
  const window = attributionWindowDays === WINDOW_DAYS ? '' : ` data-window="${attributionWindowDays}"`;
  return {
    tracker: `<script async src="${base}/t.js" data-program="${programId}"${window}></script>`,
    widget:
      `<iframe src="${base}/widget/${programId}" title="Referral sign-up" `
      + `style="width:100%;border:0" height="520" loading="lazy"></iframe>`,
  };
}

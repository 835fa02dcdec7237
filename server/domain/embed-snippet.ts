/**
 * @module
 * The snippets a site owner pastes: the tracker tag and the widget iframe.
 * The CLI and the dashboard print the same text.
 */

export interface EmbedSnippets {
  tracker: string;
  widget: string;
}

/**
 * @example embedSnippets('https://ref.example.com', 'pub_1a2b').tracker
 * // '<script async src="https://ref.example.com/t.js" data-program="pub_1a2b"></script>'
 */
export function embedSnippets(serverUrl: string, programId: string): EmbedSnippets {
  const base = serverUrl.replace(/\/$/, '');
  return {
    tracker: `<script async src="${base}/t.js" data-program="${programId}"></script>`,
    widget:
      `<iframe src="${base}/widget/${programId}" title="Referral sign-up" `
      + `style="width:100%;border:0" height="520" loading="lazy"></iframe>`,
  };
}

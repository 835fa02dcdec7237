/**
 * Puts values into a message's `{placeholders}`; unknown ones stay as written.
 * @example fill('Thank you, {name}!', { name: 'Ana' }) // 'Thank you, Ana!'
 */
export const fill = (message: string, values: Record<string, string>): string =>
  message.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);

/**
 * @module
 * The settings, described for people: the README's table and `--help`.
 */
import type { z } from 'zod';
import { SETTINGS } from './config.ts';

/** The default a setting takes when neither its flag nor its variable is given. */
export function describeDefault(schema: z.ZodType): string {
  const parsed = schema.safeParse(undefined);
  return parsed.success && parsed.data !== undefined ? String(parsed.data) : '(unset)';
}

/** A Markdown table of every setting. */
export function settingsTable(): string {
  const rows = Object.values(SETTINGS).map(
    (s) => `| \`--${s.flag}\` | \`${s.env}\` | \`${describeDefault(s.schema)}\` | ${s.description} |`,
  );
  return ['| Flag | Environment variable | Default | What it does |', '|---|---|---|---|', ...rows].join('\n');
}

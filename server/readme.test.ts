import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { settingsTable } from './config-docs.ts';

it('the README documents every setting, with its current default', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(settingsTable());
});

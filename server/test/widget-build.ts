/**
 * @module
 * The built widget for tests that serve it: `vite build --mode widget`,
 * always (e2e, so the browser runs the current sources) or only when
 * `dist/widget` is missing (server tests, which check what the server adds).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function buildWidget({ ifMissing = false } = {}): void {
  if (ifMissing && existsSync(`${ROOT}dist/widget/index.html`)) return;
  execFileSync(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'build', '--mode', 'widget', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

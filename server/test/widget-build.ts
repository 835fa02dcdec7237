/**
 * @module
 * The browser parts built for tests that serve them (`vite build --mode
 * widget|tracker`), only when the build is missing or older than its sources,
 * so a run never empties `dist/` under another test that is serving it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What each build writes last, and what it is made from. */
const PARTS = {
  widget: { output: 'dist/widget/index.html', sources: ['widget', 'contract'] },
  tracker: { output: 'dist/tracker/t.js', sources: ['tracker', 'contract'] },
} as const;

const newest = (path: string): number =>
  statSync(path).isDirectory() ? Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry)))) : statSync(path).mtimeMs;

export function buildPart(part: keyof typeof PARTS): void {
  const { output, sources } = PARTS[part];
  const built = join(ROOT, output);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map((s) => newest(join(ROOT, s))))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--mode', part, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * @module
 * The built widget in `dist/widget/`, read on first use and kept in memory,
 * assets with their gzip (level 9, as the size budget counts them). The
 * template is read again when a build replaced it; a rebuilt asset has a new
 * hashed name, so it is a new file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compileTemplate, type Template } from './page.ts';

export interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** A file name Vite emits: no slash and no dot before the extension, so no path can escape the folder. */
const ASSET_NAME = /^[\w-]+\.(js|css)$/;

export function widgetFiles(dir: string) {
  let template: { fill: Template; mtimeMs: number } | undefined;
  const assets = new Map<string, Asset>();
  return {
    /** The page template, or null when the widget has not been built. */
    template(): Template | null {
      const file = join(dir, 'index.html');
      const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
      if (mtimeMs === undefined) return null;
      if (template?.mtimeMs !== mtimeMs) template = { fill: compileTemplate(readFileSync(file, 'utf8')), mtimeMs };
      return template.fill;
    },
    asset(name: string): Asset | null {
      const extension = ASSET_NAME.exec(name)?.[1];
      if (!extension) return null;
      const file = join(dir, 'assets', name);
      if (!assets.has(name) && existsSync(file)) {
        const body = readFileSync(file);
        assets.set(name, { type: TYPES[extension]!, body, gzip: gzipSync(body, { level: 9 }) });
      }
      return assets.get(name) ?? null;
    },
  };
}

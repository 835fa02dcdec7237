/**
 * Vite build of the tracker (`vite build --mode tracker`): one IIFE file,
 * `dist/tracker/t.js`, served by the server at `/t.js`. No source map and no
 * public folder, so the folder holds exactly what visitors download;
 * `npm run size` checks it against the budget.
 *
 * Minified by Vite's own (Oxc) minifier: here it comes out smaller than
 * esbuild's (1464 B against 1492 B gzipped when measured) and as small as
 * terser's, without another dependency.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/tracker', import.meta.url)),
    emptyOutDir: true,
    minify: true,
    lib: {
      entry: fileURLToPath(new URL('./index.ts', import.meta.url)),
      formats: ['iife'],
      name: 'offertown',
      fileName: () => 't.js',
    },
  },
});

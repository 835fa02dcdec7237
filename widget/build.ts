/**
 * @module
 * Vite build of the widget (`vite build --mode widget`): `index.html` (the
 * template the server fills per program) and one hashed JS and one hashed CSS
 * file in `dist/widget/`, served under `/widget/assets/` for a year.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/widget/',
  publicDir: false,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: fileURLToPath(new URL('../dist/widget/', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // One script, no preload polyfill: the browsers that run the widget have modules.
    modulePreload: false,
    target: 'es2020',
    reportCompressedSize: false,
  },
});

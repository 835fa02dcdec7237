/** Vite build of the tracker (`vite build --mode tracker`). Placeholder until the tracker lands. */
import { defineConfig } from 'vite';

export default defineConfig({});

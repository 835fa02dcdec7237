/** Vite build of the widget (`vite build --mode widget`). Placeholder until the widget lands. */
import { defineConfig } from 'vite';

export default defineConfig({});

/**
 * Builds and tests. `vite build --mode tracker` and `--mode widget` build the
 * browser parts (their settings live beside them); `vitest` runs every unit and
 * API test, the API tests on SQLite and on a throwaway PostgreSQL server.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';

export default defineConfig(async ({ mode }) => {
  if (mode === 'tracker') return (await import('./tracker/build.ts')).default;
  if (mode === 'widget') return (await import('./widget/build.ts')).default;
  return {
    test: {
      projects: [
        {
          test: {
            name: 'server',
            include: ['server/**/*.test.ts', 'contract/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['server/test/postgres-server.ts'],
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        { test: { name: 'tracker', include: ['tracker/**/*.test.ts'], environment: 'happy-dom' } },
        {
          plugins: [preact()],
          test: { name: 'widget', include: ['widget/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
        },
      ],
    },
  };
});

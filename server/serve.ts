/**
 * @module
 * Runs the server: opens and migrates the database, listens, and shuts down
 * gracefully on SIGTERM/SIGINT (in-flight requests finish, new ones get 503).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { jobsFromConfig } from './jobs/jobs-from-config.ts';
import type { Jobs } from './jobs/run-jobs.ts';
import type { Config } from './config.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/connect.ts';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** Base URL of the server as listened on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Offer the demo's dashboard controls (skip the confirmation period). */
  demo?: boolean;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const store = await openStore(config);
  // The jobs need the app's logger, and the demo controls need the jobs: bound once both exist.
  let jobs: Jobs | undefined;
  const demo = options.demo ? { runJobs: async () => { await jobs?.runOnce(); } } : undefined;
  const app = await buildApp({ config, store, demo });
  jobs = config.jobs ? jobsFromConfig(config, store, app.log) : undefined;
  await app.listen({ port: config.port, host: config.host });
  await jobs?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = config.publicUrl?.replace(/\/$/, '') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  // Jobs stop first: the run under way finishes its writes before the database closes.
  const close = () => (closing ??= Promise.resolve(jobs?.stop()).then(() => app.close()).then(() => store.db.destroy()));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down');
      close().then(() => process.exit(0), (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
  return { app, store, url, close };
}

/**
 * @module
 * The server under test, run as a child process of `bench/api.ts` so that the
 * load generator and the server each have a core of their own on a 2-core
 * machine, and neither's garbage collection stalls the other.
 *
 * `node --import tsx bench/server.ts hello` — a bare Fastify hello-world.
 * `node --import tsx bench/server.ts app FILE` — Offertown on that SQLite file, limits lifted.
 *
 * Listens on 127.0.0.1 on a free port, then sends `{ url }` to the parent over
 * IPC; exits on SIGTERM or when the parent goes away.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { defaultConfig } from '../server/config.ts';
import { openStore } from '../server/store/open.ts';

/** What the child tells its parent: where it listens. */
export interface ServerMessage {
  url: string;
}

const [mode, sqliteFile] = process.argv.slice(2);

async function start(): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  if (mode === 'hello') {
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    return { app, close: () => app.close() };
  }
  if (mode === 'app' && sqliteFile) {
    const config = defaultConfig({ sqliteFile, writeRateLimit: 0, conversionRateLimit: 0, logLevel: 'silent' });
    const store = await openStore(config);
    const app = await buildApp({ config, store });
    return { app, close: async () => { await app.close(); await store.db.destroy(); } };
  }
  throw new Error('usage: server.ts hello | server.ts app SQLITE_FILE');
}

const send = (message: ServerMessage) => process.send?.(message);

const { app, close } = await start();
const url = await app.listen({ host: '127.0.0.1', port: 0 });

const stop = () => void close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('disconnect', stop);
send({ url });

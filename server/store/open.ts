/**
 * @module
 * The store as the configuration asks for it, migrated to the newest schema.
 */
import type { Config } from '../config.ts';
import { connect, type Store } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

export async function openStore(
  config: { databaseUrl?: string | undefined; sqliteFile: string; sqliteSync?: Config['sqliteSync'] },
): Promise<Store> {
  const store = connect({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile, sqliteSync: config.sqliteSync });
  await migrateToLatest(store.db);
  return store;
}

/**
 * @module
 * Real databases for tests: a fresh SQLite file, or a fresh database on the
 * throwaway PostgreSQL server. Suites run once per dialect with `STORE_KINDS`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Dialect, Store } from '../store/connect.ts';
import { openStore } from '../store/open.ts';

export const STORE_KINDS: Dialect[] = ['sqlite', 'postgres'];

export interface TestStore extends Store {
  /** The connection string (PostgreSQL) or file (SQLite), to open it again from elsewhere. */
  config: { databaseUrl?: string; sqliteFile: string };
  cleanup(): Promise<void>;
}

let counter = 0;

/** A new, empty, migrated database of the given kind. */
export async function freshStore(kind: Dialect): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'offertown-test-'));
    const config = { sqliteFile: join(dir, 'offertown.db') };
    const store = await openStore({ ...config, sqliteSync: 'normal' });
    return { ...store, config, cleanup: async () => { await store.db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const databaseUrl = adminUrl.replace(/\/postgres$/, `/${name}`);
  const config = { databaseUrl, sqliteFile: '' };
  const store = await openStore({ ...config, sqliteSync: 'normal' });
  return { ...store, config, cleanup: () => store.db.destroy() };
}

/**
 * @module
 * Opens the database: an embedded SQLite file by default, PostgreSQL when a
 * `DATABASE_URL` is given. Everything above this file is the same for both.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, without credentials: safe to print and log. */
  location: string;
  /**
   * SQLite only: a value that changes whenever a write may have happened since it was last read,
   * by this connection (`total_changes()`) or by another process such as the CLI (`PRAGMA data_version`).
   * Lets a hot read be cached until then. PostgreSQL offers no such cheap signal.
   */
  writeVersion?: () => string;
}

export interface ConnectOptions {
  /** PostgreSQL connection string; when set, `sqliteFile` is ignored. */
  databaseUrl?: string;
  sqliteFile: string;
  /** SQLite `synchronous`: `full` (the setting's default) survives a power cut, `normal` a crash of the process. */
  sqliteSync?: 'normal' | 'full';
  /** PostgreSQL pool size. */
  poolSize?: number;
}

// int8 (bigint) holds epoch ms and cents, all far below 2^53: read them as numbers.
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'),
};

export function connect(options: ConnectOptions): Store {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, types: pgTypes });
    const url = new URL(options.databaseUrl);
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      location: `postgres://${url.host}${url.pathname}`,
    };
  }
  mkdirSync(dirname(options.sqliteFile), { recursive: true });
  const sqlite = new SQLite(options.sqliteFile);
  sqlite.pragma('journal_mode = WAL');
  // The CLI and the server share the file: wait for the other's write instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`synchronous = ${options.sqliteSync === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  // Read synchronously outside Kysely's lock: inside an open transaction it already counts its uncommitted changes.
  // Two plain statements: the pragma_data_version table function costs ~40 % more per call.
  const changesHere = sqlite.prepare('SELECT total_changes()').pluck();
  const changesElsewhere = sqlite.prepare('PRAGMA data_version').pluck();
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
    dialect: 'sqlite',
    location: options.sqliteFile,
    writeVersion: () => `${changesHere.get() as number}:${changesElsewhere.get() as number}`,
  };
}

/** Prepared statements kept per SQL text; a few hundred cover every query the server makes. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 with its prepared statements reused: Kysely prepares the same
 * SQL on every query, which was 18 % of a GET's CPU (BENCHMARKS.md). Safe because
 * Kysely runs every query on this one connection behind a lock.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** True when `error` is a unique-constraint violation, in either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

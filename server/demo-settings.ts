/**
 * @module
 * The settings `offertown demo` starts from. Apart from demo.ts, so the CLI
 * reads them without loading the server.
 */
import type { Config } from './config.ts';

/**
 * Where `offertown demo` differs from the settings' defaults (a flag or
 * variable given still wins): its own database file, a quiet log for the
 * newcomer's instructions, and a 10 % commission so the operator's cut shows.
 */
export const DEMO_SETTINGS = { sqliteFile: './data/demo.db', logLevel: 'warn', commissionBps: 1000 } as const satisfies Partial<Config>;

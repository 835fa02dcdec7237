/**
 * Prints the README's settings table from server/config.ts, the one source
 * of truth: `node --import tsx scripts/settings-table.ts`. A test keeps the
 * README in step with it.
 */
import { settingsTable } from '../server/config-docs.ts';

console.log(settingsTable());

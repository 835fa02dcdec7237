/**
 * @module
 * The database's tables as Kysely sees them. Times are epoch milliseconds and
 * money integer cents, in both SQLite and PostgreSQL (int8, read as numbers).
 * JSON columns are text, so both databases store them the same way.
 */
import type { Insertable, Selectable } from 'kysely';

export interface PartnersTable {
  id: string;
  name: string;
  email: string | null;
  /** null until an operator approves the partner. */
  approved_at: number | null;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  partner_id: string;
  /** First characters of the key: finds the row without storing the key. */
  lookup: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ProgramsTable {
  id: string;
  partner_id: string;
  name: string;
  landing_url: string | null;
  /** JSON array of origins. */
  allowed_origins: string;
  attribution_window_days: number;
  /** JSON object, see contract/program.ts. */
  branding: string;
  created_at: number;
  updated_at: number;
}

export interface ReferrersTable {
  id: string;
  program_id: string;
  identifier: string;
  email: string | null;
  /** The 8-character share code, unique across the server. */
  code: string;
  created_at: number;
}

export interface ReferralsTable {
  id: string;
  program_id: string;
  referrer_id: string;
  status: 'clicked' | 'pending' | 'converted' | 'expired';
  friend_email: string | null;
  /** Lower-cased, trimmed friend_email: half of the creation idempotency key. */
  friend_email_normalized: string | null;
  friend_name: string | null;
  external_source_id: string | null;
  external_transaction_id: string | null;
  conversion_value: number | null;
  currency: 'EUR' | null;
  /** JSON object. */
  metadata: string;
  created_at: number;
  converted_at: number | null;
  updated_at: number;
  /** Clicks only: a salted hash of the visitor, to count repeated clicks once. */
  visitor_hash: string | null;
}

export interface Database {
  partners: PartnersTable;
  api_keys: ApiKeysTable;
  programs: ProgramsTable;
  referrers: ReferrersTable;
  referrals: ReferralsTable;
}

export type PartnerRow = Selectable<PartnersTable>;
export type ProgramRow = Selectable<ProgramsTable>;
export type ReferrerRow = Selectable<ReferrersTable>;
export type ReferralRow = Selectable<ReferralsTable>;
export type NewReferral = Insertable<ReferralsTable>;

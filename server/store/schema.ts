/**
 * @module
 * The database's tables as Kysely sees them. Times are epoch milliseconds and
 * money integer cents, in both SQLite and PostgreSQL (int8, read as numbers).
 * JSON columns are text, so both databases store them the same way.
 */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface PartnersTable {
  id: string;
  name: string;
  email: string | null;
  /** null until an operator approves the partner. */
  approved_at: number | null;
  /** The partner's customer and saved payment method in the operator's Stripe account. */
  stripe_customer_id: string | null;
  stripe_payment_method_id: string | null;
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
  /** JSON object, see contract/rewards.ts `programRewards`. */
  rewards: Generated<string>;
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

/** A reward of a converted referral; see store/rewards.ts. */
export interface RewardsTable {
  id: string;
  program_id: string;
  partner_id: string;
  referral_id: string;
  referrer_id: string;
  beneficiary: 'referrer' | 'friend';
  /** The ledger account it is funded into. */
  wallet: string;
  status: 'awaiting_approval' | 'approved' | 'matured' | 'funding_failed' | 'funded' | 'rejected' | 'voided';
  original_amount: number;
  clawed_back: Generated<number>;
  created_at: number;
  updated_at: number;
  approved_at: number | null;
  matures_at: number;
  rejected_at: number | null;
  rejection_reason: string | null;
  voided_at: number | null;
  /** Set when a charge is prepared, kept once funded: what was (to be) credited, commissioned and charged. */
  funding_reward: number | null;
  funding_commission: number | null;
  funding_charge: number | null;
  commission_bps: number | null;
  commission_fixed: number | null;
  /** Recorded failed charges; part of the provider's idempotency key, so only a recorded failure makes a new charge. */
  funding_failures: Generated<number>;
  funding_attempts: Generated<number>;
  funding_lease_until: number | null;
  next_funding_at: number | null;
  funding_error_code: string | null;
  funding_error_message: string | null;
  funded_at: number | null;
  payment_id: string | null;
  /** Set while the payment that funded it has not settled (a bank debit `processing`). */
  payment_pending_since: number | null;
  /** When a pending payment is next looked up. */
  payment_check_at: number | null;
}

export interface RefundsTable {
  id: string;
  program_id: string;
  referral_id: string;
  idempotency_key: string;
  amount: number;
  /** 1 for a dispute (chargeback), 0 for a refund. */
  dispute: number;
  reason: string | null;
  created_at: number;
}

/** Insert-only (a trigger refuses changes): one line of a balanced movement. */
export interface LedgerEntriesTable {
  id: string;
  movement_id: string;
  kind: 'funding' | 'payment' | 'clawback' | 'settlement' | 'payment_failed';
  account: string;
  /** Signed cents: positive credits the account. */
  amount: number;
  partner_id: string | null;
  reward_id: string | null;
  created_at: number;
}

/** The outbox: one row per event, written in the transaction of the change it reports. */
export interface EventsTable {
  id: string;
  program_id: string;
  type: string;
  /** The referral or reward the event is about. */
  subject_id: string;
  /** JSON object: the event's `data`. */
  data: string;
  created_at: number;
  /** When deliveries to the program's endpoints were created; null until then. */
  dispatched_at: number | null;
  /** Insertion order, set by the database. */
  seq: Generated<number>;
}

export interface WebhookEndpointsTable {
  id: string;
  program_id: string;
  url: string;
  /** `whsec_…`, the Standard Webhooks signing secret. */
  secret: string;
  /** JSON array of event types; empty for every type. */
  event_types: string;
  description: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  program_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: number | null;
  /** A process is sending it until then; after, another may take it over. */
  lease_until: number | null;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempted_at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface RateLimitCountersTable {
  /** The limit's name and what it counts, e.g. `write:203.0.113.7`. */
  key: string;
  window_start: number;
  hits: number;
}

export interface Database {
  partners: PartnersTable;
  api_keys: ApiKeysTable;
  programs: ProgramsTable;
  referrers: ReferrersTable;
  referrals: ReferralsTable;
  server_secrets: ServerSecretsTable;
  rate_limit_counters: RateLimitCountersTable;
  rewards: RewardsTable;
  refunds: RefundsTable;
  ledger_entries: LedgerEntriesTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type PartnerRow = Selectable<PartnersTable>;
export type ProgramRow = Selectable<ProgramsTable>;
export type ReferrerRow = Selectable<ReferrersTable>;
export type ReferralRow = Selectable<ReferralsTable>;
export type NewReferral = Insertable<ReferralsTable>;
export type RewardRow = Selectable<RewardsTable>;
export type RefundRow = Selectable<RefundsTable>;
export type EventRow = Selectable<EventsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

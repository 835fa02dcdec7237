/**
 * @module
 * Every setting, each from a command-line flag or an environment variable
 * (the flag wins), validated once at start. `SETTINGS` is also what
 * `offertown --help` and the README's settings table are made from.
 */
import { z } from 'zod';
import { DEFAULT_API_LIMITS } from '../contract/referrals.ts';

const port = z.coerce.number().int().min(0).max(65535);
const count = z.coerce.number().int().min(0);
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/** One setting: its flag, its environment variable, its schema and what it does. */
interface Setting<S extends z.ZodType> {
  flag: string;
  env: string;
  schema: S;
  description: string;
}

const setting = <S extends z.ZodType>(flag: string, env: string, schema: S, description: string): Setting<S> => ({ flag, env, schema, description });

export const SETTINGS = {
  port: setting('port', 'PORT', port.default(3000), 'Port the server listens on.'),
  host: setting('host', 'HOST', z.string().min(1).default('127.0.0.1'), 'Address to listen on; 0.0.0.0 for every interface.'),
  sqliteFile: setting('db', 'OFFERTOWN_DB', z.string().min(1).default('./data/offertown.db'), 'SQLite file, created if missing (ignored when DATABASE_URL is set).'),
  databaseUrl: setting('database-url', 'DATABASE_URL', z.string().regex(/^postgres(ql)?:\/\//, 'Must be a postgres:// URL').optional(), 'PostgreSQL connection string; when set, PostgreSQL is used instead of SQLite.'),
  sqliteSync: setting('sqlite-sync', 'OFFERTOWN_SQLITE_SYNC', z.enum(['normal', 'full']).default('full'), 'SQLite durability: full survives a power cut (an fsync per commit); normal only a crash of the process, with faster writes.'),
  publicUrl: setting('public-url', 'OFFERTOWN_PUBLIC_URL', z.url().optional(), 'The URL the server is reached at from outside (for links); defaults to http://HOST:PORT.'),
  trustProxy: setting('trust-proxy', 'OFFERTOWN_TRUST_PROXY', z.union([flag, z.string()]).default(false), 'Trust X-Forwarded-For from a reverse proxy: true, or a list of proxy addresses/CIDRs. Off by default, so clients cannot choose their own IP.'),
  writeRateLimit: setting('write-rate-limit', 'OFFERTOWN_WRITE_RATE_LIMIT', count.default(30), 'Write requests per minute per IP on the partner API (0: no limit).'),
  conversionRateLimit: setting('conversion-rate-limit', 'OFFERTOWN_CONVERSION_RATE_LIMIT', count.default(60), 'Conversion reports per minute per partner (0: no limit).'),
  rateLimitStore: setting('rate-limit-store', 'OFFERTOWN_RATE_LIMIT_STORE', z.enum(['auto', 'memory', 'database']).default('auto'), 'Where rate limits are counted: memory (per process) or database (shared by every server on the database). auto: database on PostgreSQL, memory on SQLite.'),
  linkClickLimit: setting('link-click-limit', 'OFFERTOWN_LINK_CLICK_LIMIT', count.default(120), 'Referral-link clicks recorded per minute per IP; beyond it friends are still redirected, unrecorded (0: no limit).'),
  publicRateLimit: setting('public-rate-limit', 'OFFERTOWN_PUBLIC_RATE_LIMIT', count.default(20), 'Friend sign-ups and tracker clicks per minute per IP on the public endpoints (0: no limit).'),
  disposableEmails: setting('disposable-emails', 'OFFERTOWN_DISPOSABLE_EMAILS', z.enum(['block', 'allow']).default('block'), 'Whether friends may sign up with a disposable email address (list from the mailchecker package).'),
  bodyLimit: setting('body-limit', 'OFFERTOWN_BODY_LIMIT', count.min(1024).default(32_768), 'Largest request body, in bytes.'),
  metadataLimit: setting('metadata-limit', 'OFFERTOWN_METADATA_LIMIT', count.min(2).default(DEFAULT_API_LIMITS.metadataBytes), 'Largest metadata object, in bytes of JSON.'),
  searchLimit: setting('search-limit', 'OFFERTOWN_SEARCH_LIMIT', count.min(1).default(DEFAULT_API_LIMITS.searchChars), 'Longest search query, in characters.'),
  maxPageSize: setting('max-page-size', 'OFFERTOWN_MAX_PAGE_SIZE', count.min(1).default(DEFAULT_API_LIMITS.maxPageSize), 'Largest page size of list endpoints.'),
  logLevel: setting('log-level', 'LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'How much the server logs (JSON lines on stdout).'),
  commissionBps: setting('commission-bps', 'OFFERTOWN_COMMISSION_BPS', count.max(10_000).default(0), 'Your commission on each reward in basis points (1000 = 10 %), charged to the partner on top of the reward.'),
  commissionFixed: setting('commission-fixed', 'OFFERTOWN_COMMISSION_FIXED', count.max(100_000_000).default(0), 'A fixed commission in cents on each reward, on top of the percentage.'),
  paymentProvider: setting('payment-provider', 'OFFERTOWN_PAYMENT_PROVIDER', z.enum(['manual', 'stripe']).default('manual'), 'How partners pay for rewards: manual (charges accrue as an open balance you settle) or stripe (their saved payment method is charged).'),
  stripeSecretKey: setting('stripe-secret-key', 'STRIPE_SECRET_KEY', z.string().regex(/^(sk|rk)_/, 'Must be a Stripe secret or restricted key (sk_… or rk_…)').optional(), 'Your Stripe secret key, for --payment-provider stripe (prefer the environment variable: flags show in process lists).'),
  stripeApiUrl: setting('stripe-api-url', 'OFFERTOWN_STRIPE_API_URL', z.url({ protocol: /^https?$/ }).optional(), 'Where Stripe requests go instead of https://api.stripe.com (stripe-mock, a test server).'),
  jobs: setting('jobs', 'OFFERTOWN_JOBS', flag.default(true), 'Run the background jobs (expiry, funding, webhook delivery) in this process; several processes on one PostgreSQL may all run them.'),
  jobInterval: setting('job-interval', 'OFFERTOWN_JOB_INTERVAL_MS', count.min(50).default(5000), 'Milliseconds between runs of the background jobs.'),
  webhookTimeout: setting('webhook-timeout', 'OFFERTOWN_WEBHOOK_TIMEOUT_MS', count.min(100).default(10_000), 'Milliseconds a webhook endpoint has to answer before the attempt counts as failed.'),
  webhookAllowPrivate: setting('webhook-allow-private', 'OFFERTOWN_WEBHOOK_ALLOW_PRIVATE', flag.default(false), 'Allow webhook endpoints on loopback and private addresses; off, partners cannot make the server call your internal network.'),
} as const;

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** Parse options for node:util parseArgs, one string option per setting. */
export const SETTING_FLAGS = Object.fromEntries(
  Object.values(SETTINGS).map((s) => [s.flag, { type: 'string' as const }]),
) as Record<string, { type: 'string' }>;

export class ConfigError extends Error {}

/**
 * The configuration from flags (as parsed by parseArgs) and the environment.
 * @example loadConfig({ port: '8080' }, process.env).port // 8080
 */
export function loadConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Config {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(SETTINGS)) {
    const raw = flags[s.flag] ?? (env[s.env] === '' ? undefined : env[s.env]);
    const parsed = s.schema.safeParse(raw);
    if (parsed.success) config[key] = parsed.data;
    else problems.push(`--${s.flag} / ${s.env}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length) throw new ConfigError(`Invalid settings:\n  ${problems.join('\n  ')}`);
  return config as Config;
}

/** Where the rate limits are counted: `auto` shares them when several servers may share the database (PostgreSQL). */
export function rateLimitCounter(config: Pick<Config, 'rateLimitStore' | 'databaseUrl'>): 'memory' | 'database' {
  if (config.rateLimitStore !== 'auto') return config.rateLimitStore;
  return config.databaseUrl ? 'database' : 'memory';
}

/** The settings a test or a benchmark starts from: the defaults, quiet. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}, {}), logLevel: 'silent', ...overrides };
}

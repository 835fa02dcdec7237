/**
 * @module
 * `npx offertown …`: the self-hoster's first contact. Every command works on
 * the same database as a running server, and what it changes applies at once.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { programUpdate, type ProgramUpdate } from '../contract/program.ts';
import { programSnippet, snippetServerUrl } from './cli/program-snippet.ts';
import { isMoneyCommand, MONEY_FLAGS, MONEY_USAGE, moneyCommand } from './cli/money-commands.ts';
import { REWARD_FLAGS, REWARD_FLAGS_USAGE, RewardFlagError, rewardsUpdateFromFlags } from './cli/reward-flags.ts';
import { VERSION } from './version.ts';
import { ConfigError, loadConfig, SETTING_FLAGS, SETTINGS, type Config } from './config.ts';
import { describeDefault } from './config-docs.ts';
import { DEMO_SETTINGS } from './demo-settings.ts';
import { openStore } from './store/open.ts';
import { approvePartner, createPartner, listPartners, rotateApiKey } from './store/partners.ts';
import { getProgram, updateProgram } from './store/programs.ts';

const USAGE = `Offertown ${VERSION}: a self-hostable referral platform.

Usage: offertown <command> [options]

Commands:
  serve                                  Run the server (no demo data).
  demo                                   Run the server with a demo partner and program
                                         (SQLite file ./data/demo.db unless --db is given).
  partner create --name NAME [--email E] [--approve] [--json]
                                         Create a partner with its program and API key.
  partner approve PARTNER_ID             Approve a partner: its API key starts working.
  partner list [--json]                  List partners with their program IDs.
  key rotate PARTNER_ID [--json]         Issue a new API key; the old one stops at once.
  program show PROGRAM_ID                Print a program's settings as JSON.
  program set PROGRAM_ID [--landing-url URL] [--allowed-origins O1,O2] [--attribution-window-days N]
                         [--name N] [--logo-url URL] [--primary-color #RRGGBB] [--headline T]
                         [--text T] [--button-label T] [--theme light|dark] [--locale en|de|fr|es|it|nl]
                         [--terms-url URL] [--friend-reward-text T]
${REWARD_FLAGS_USAGE}
                                         Change a program's settings (use "" to clear a URL or locale).
  program snippet PROGRAM_ID [--public-url URL]
                                         Print the widget iframe and tracker tag to paste into a site.
${MONEY_USAGE}

Settings (flag, environment variable, default):
${Object.values(SETTINGS)
  .map((s) => `  --${s.flag.padEnd(24)} ${s.env.padEnd(32)} ${describeDefault(s.schema)}\n      ${s.description}`)
  .join('\n')}
`;

const PROGRAM_FLAGS = {
  'landing-url': { type: 'string' },
  'allowed-origins': { type: 'string' },
  'attribution-window-days': { type: 'string' },
  'logo-url': { type: 'string' },
  'primary-color': { type: 'string' },
  headline: { type: 'string' },
  text: { type: 'string' },
  'button-label': { type: 'string' },
  theme: { type: 'string' },
  locale: { type: 'string' },
  'terms-url': { type: 'string' },
  'friend-reward-text': { type: 'string' },
} as const;

const OPTIONS = {
  ...SETTING_FLAGS,
  ...PROGRAM_FLAGS,
  ...REWARD_FLAGS,
  ...MONEY_FLAGS,
  name: { type: 'string' },
  email: { type: 'string' },
  approve: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Flags = Record<string, string | boolean | undefined>;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const flags = values as Flags;
  const [command, sub, target] = positionals;
  if (flags.version) return void console.log(VERSION);
  if (flags.help || !command) return void console.log(USAGE);

  if (command === 'demo') {
    for (const [key, value] of Object.entries(DEMO_SETTINGS)) {
      const { flag, env } = SETTINGS[key as keyof typeof DEMO_SETTINGS];
      if (flags[flag] === undefined && !process.env[env]) flags[flag] = String(value);
    }
  }
  const config = loadConfig(flags);
  const now = Date.now();

  if (isMoneyCommand(command, sub)) return withStore(config, (store) => moneyCommand({ positionals, flags, store, now, fail: (m) => new UsageError(m), allowPrivateWebhooks: config.webhookAllowPrivate }));
  switch (command) {
    case 'serve': {
      // Loaded only here: the other commands start faster without the HTTP stack.
      const { startServer } = await import('./serve.ts');
      const server = await startServer(config);
      console.log(`Offertown ${VERSION} listening on ${server.url} (database: ${server.store.location})`);
      return;
    }
    case 'demo':
      return (await import('./demo.ts')).runDemo(config);
    case 'partner':
      return withStore(config, async (store) => {
        if (sub === 'create') {
          const name = requireText(flags.name, '--name');
          const email = typeof flags.email === 'string' ? z.email().parse(flags.email) : null;
          const created = await createPartner(store.db, { name, email, approve: flags.approve === true }, now);
          if (flags.json) return void console.log(JSON.stringify(created));
          console.log(`Partner ${created.partnerId} created${flags.approve ? ' and approved' : ' (not approved yet: run `offertown partner approve ' + created.partnerId + '`)'}.`);
          console.log(`Program ID: ${created.programId}`);
          console.log(`API key:    ${created.apiKey}\n(Shown only now; keep it server-side. Rotate it with \`offertown key rotate ${created.partnerId}\`.)`);
          return;
        }
        if (sub === 'approve') {
          const id = requireText(target, 'PARTNER_ID');
          if (!(await approvePartner(store.db, id, now))) throw new UsageError(`No partner ${id}`);
          return void console.log(`Partner ${id} approved.`);
        }
        if (sub === 'list') {
          const partners = await listPartners(store.db);
          const rows = partners.map((p) => ({ partnerId: p.id, programId: p.program_id, name: p.name, email: p.email, approved: p.approved_at !== null }));
          if (flags.json) return void console.log(JSON.stringify(rows));
          if (!rows.length) return void console.log('No partners yet: `offertown partner create --name NAME --approve`.');
          for (const r of rows) console.log(`${r.partnerId}  ${r.programId}  ${r.approved ? 'approved' : 'pending '}  ${r.name}${r.email ? ` <${r.email}>` : ''}`);
          return;
        }
        throw new UsageError('Use: partner create|approve|list');
      });
    case 'key':
      return withStore(config, async (store) => {
        if (sub !== 'rotate') throw new UsageError('Use: key rotate PARTNER_ID');
        const id = requireText(target, 'PARTNER_ID');
        const apiKey = await rotateApiKey(store.db, id, now);
        if (!apiKey) throw new UsageError(`No partner ${id}`);
        if (flags.json) return void console.log(JSON.stringify({ partnerId: id, apiKey }));
        console.log(`New API key for ${id}: ${apiKey}\nThe previous key no longer works.`);
      });
    case 'program':
      return withStore(config, async (store) => {
        const id = requireText(target, 'PROGRAM_ID');
        if (sub === 'show') {
          const found = await getProgram(store.db, id);
          if (!found) throw new UsageError(`No program ${id}`);
          return void console.log(JSON.stringify(found, null, 2));
        }
        if (sub === 'set') {
          const updated = await updateProgram(store.db, id, programUpdateFromFlags(flags), now);
          if (!updated) throw new UsageError(`No program ${id}`);
          return void console.log(JSON.stringify(updated, null, 2));
        }
        if (sub === 'snippet') {
          const found = await getProgram(store.db, id);
          if (!found) throw new UsageError(`No program ${id}`);
          const { html, warnings } = programSnippet(found, snippetServerUrl(config), config.publicUrl !== undefined);
          for (const warning of warnings) console.error(warning);
          return void console.log(html);
        }
        throw new UsageError('Use: program show|set|snippet PROGRAM_ID');
      });
    default:
      throw new UsageError(`Unknown command "${command}". Run \`offertown --help\`.`);
  }
}

/** The same update the partner API's PATCH takes, validated by the same schema. */
function programUpdateFromFlags(flags: Flags): ProgramUpdate {
  const text = (flag: string) => (typeof flags[flag] === 'string' ? (flags[flag] as string) : undefined);
  const nullable = (flag: string) => (text(flag) === '' ? null : text(flag));
  const branding = Object.fromEntries(
    Object.entries({
      name: text('name'), logoUrl: nullable('logo-url'), primaryColor: text('primary-color'), headline: text('headline'),
      text: text('text'), buttonLabel: text('button-label'), theme: text('theme'), locale: nullable('locale'),
      termsUrl: nullable('terms-url'), friendRewardText: nullable('friend-reward-text'),
    }).filter(([, v]) => v !== undefined),
  );
  const window = text('attribution-window-days');
  const origins = text('allowed-origins');
  const raw = {
    name: text('name'),
    landingUrl: nullable('landing-url'),
    allowedOrigins: origins === undefined ? undefined : origins.split(',').map((o) => o.trim()).filter(Boolean),
    attributionWindowDays: window === undefined ? undefined : Number(window),
    branding: Object.keys(branding).length ? branding : undefined,
    rewards: rewardsUpdateFromFlags(text),
  };
  const parsed = programUpdate.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return parsed.data;
}

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`${name} is required`);
  return value.trim();
}

async function withStore(config: Config, run: (store: Awaited<ReturnType<typeof openStore>>) => Promise<void>): Promise<void> {
  const store = await openStore(config);
  try {
    await run(store);
  } finally {
    await store.db.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof RewardFlagError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`offertown: ${(error as Error).message}`);
    process.exit(2);
  }
  if (error instanceof z.ZodError) {
    console.error(`offertown: ${error.issues.map((i) => i.message).join('; ')}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});

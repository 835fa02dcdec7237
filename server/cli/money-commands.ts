/**
 * @module
 * The money flow's and webhooks' CLI commands: a partner's billing settings
 * and settlements, and webhook endpoints. Same stores, same schemas as the
 * partner API.
 */
import { billingUpdate } from '../../contract/rewards.ts';
import { webhookEndpointCreate } from '../../contract/webhooks.ts';
import type { Store } from '../store/connect.ts';
import { getPartnerAccount, recordSettlement, updatePartnerBilling } from '../store/billing.ts';
import { isPrivateWebhookUrl } from '../domain/webhooks/is-private-address.ts';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints } from '../store/webhooks.ts';

/** parseArgs options of these commands. */
export const MONEY_FLAGS = {
  'stripe-customer': { type: 'string' },
  'stripe-payment-method': { type: 'string' },
  amount: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  description: { type: 'string' },
} as const;

export const MONEY_USAGE = `  partner billing PARTNER_ID [--stripe-customer cus_…] [--stripe-payment-method pm_…] [--json]
                                         Show (or set) what the partner is charged with, and its balance.
  partner settle PARTNER_ID --amount CENTS
                                         Record a payment received outside Stripe (manual provider).
  webhook add PROGRAM_ID --url URL [--events T1,T2] [--description T] [--json]
                                         Register a webhook endpoint; prints its signing secret.
  webhook list PROGRAM_ID [--json]       List a program's webhook endpoints.
  webhook remove PROGRAM_ID ENDPOINT_ID  Delete an endpoint and its delivery log.`;

type Flags = Record<string, string | boolean | undefined>;

/** Whether `command sub` is one of these commands. */
export const isMoneyCommand = (command: string | undefined, sub: string | undefined): boolean =>
  command === 'webhook' || (command === 'partner' && (sub === 'billing' || sub === 'settle'));

export interface MoneyCommand {
  positionals: string[];
  flags: Flags;
  store: Store;
  now: number;
  /** The usage error to throw. */
  fail: (message: string) => Error;
  /** The server's `webhookAllowPrivate`: without it, deliveries to private addresses are refused, so registering one is too. */
  allowPrivateWebhooks: boolean;
}

const text = (flags: Flags, name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
const orNull = (value: string | undefined) => (value === '' ? null : value);
const issues = (error: { issues: Array<{ path: PropertyKey[]; message: string }> }) =>
  error.issues.map((i) => `${i.path.map(String).join('.') || 'value'}: ${i.message}`).join('\n');

/** @example await moneyCommand({ positionals: ['webhook', 'list', 'pub_…'], flags: {}, store, now: Date.now(), fail }) */
export async function moneyCommand({ positionals, flags, store, now, fail, allowPrivateWebhooks }: MoneyCommand): Promise<void> {
  const [command, sub, target, extra] = positionals;
  if (!target) throw fail(`${command === 'webhook' ? 'PROGRAM_ID' : 'PARTNER_ID'} is required`);
  const json = flags.json === true;

  if (command === 'partner' && sub === 'billing') {
    const update = billingUpdate.safeParse({ stripeCustomerId: orNull(text(flags, 'stripe-customer')), stripePaymentMethodId: orNull(text(flags, 'stripe-payment-method')) });
    if (!update.success) throw fail(issues(update.error));
    const account = await updatePartnerBilling(store, target, update.data, now);
    if (!account) throw fail(`No partner ${target}`);
    if (json) return void console.log(JSON.stringify(account));
    console.log(`Stripe customer:       ${account.stripeCustomerId ?? '(none)'}\nStripe payment method: ${account.stripePaymentMethodId ?? '(none)'}`);
    return void console.log(`Balance:               ${(account.balance / 100).toFixed(2)} EUR ${account.balance < 0 ? '(owed to you)' : account.balance > 0 ? '(credit)' : ''}`);
  }
  if (command === 'partner' && sub === 'settle') {
    const amount = Number(text(flags, 'amount'));
    if (!Number.isSafeInteger(amount) || amount <= 0) throw fail('--amount must be a positive whole number of cents');
    if (!(await getPartnerAccount(store.db, target))) throw fail(`No partner ${target}`);
    const balance = await recordSettlement(store, target, amount, now);
    return void console.log(json ? JSON.stringify({ partnerId: target, balance }) : `Recorded ${(amount / 100).toFixed(2)} EUR from ${target}; balance now ${(balance / 100).toFixed(2)} EUR.`);
  }
  if (!(await store.db.selectFrom('programs').select('id').where('id', '=', target).executeTakeFirst())) throw fail(`No program ${target}`);
  if (sub === 'add') {
    const events = text(flags, 'events');
    const input = webhookEndpointCreate.safeParse({
      url: text(flags, 'url'),
      ...(events !== undefined && { eventTypes: events.split(',').map((e) => e.trim()).filter(Boolean) }),
      ...(text(flags, 'description') !== undefined && { description: text(flags, 'description') }),
    });
    if (!input.success) throw fail(issues(input.error));
    if (!allowPrivateWebhooks && isPrivateWebhookUrl(input.data.url)) {
      throw fail('url: loopback and private addresses get no deliveries; set --webhook-allow-private true (OFFERTOWN_WEBHOOK_ALLOW_PRIVATE=true) on the server and here to allow them');
    }
    const endpoint = await createWebhookEndpoint(store.db, target, input.data, now);
    if (json) return void console.log(JSON.stringify(endpoint));
    return void console.log(`Endpoint ${endpoint.endpointId} → ${endpoint.url}\nSigning secret: ${endpoint.secret}`);
  }
  if (sub === 'list') {
    const endpoints = await listWebhookEndpoints(store.db, target);
    if (json) return void console.log(JSON.stringify(endpoints));
    if (!endpoints.length) return void console.log('No webhook endpoints yet: `offertown webhook add PROGRAM_ID --url URL`.');
    for (const e of endpoints) console.log(`${e.endpointId}  ${e.enabled ? 'enabled ' : 'disabled'}  ${e.url}  ${e.eventTypes.length ? e.eventTypes.join(',') : '(all events)'}`);
    return;
  }
  if (sub === 'remove') {
    if (!extra) throw fail('ENDPOINT_ID is required');
    if (!(await deleteWebhookEndpoint(store.db, target, extra))) throw fail(`No endpoint ${extra} in ${target}`);
    return void console.log(`Endpoint ${extra} deleted.`);
  }
  throw fail('Use: webhook add|list|remove PROGRAM_ID');
}

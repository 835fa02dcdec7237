/**
 * @module
 * A local stand-in for the part of Stripe's API that funding uses, speaking
 * its documented protocol, so tests exercise the real `stripe` SDK:
 * `POST /v1/payment_intents` (form-encoded, Bearer key) with
 * `Idempotency-Key` (a repeat replays the first response with
 * `Idempotent-Replayed: true`; a repeat with other parameters is a 400
 * `idempotency_error`), and Stripe's error object for declines (402
 * `card_error`) and unknown customers (400 `invalid_request_error`).
 *
 * Payment methods behave like Stripe's test ones: `pm_card_visa` succeeds,
 * `pm_card_chargeDeclinedInsufficientFunds` is declined,
 * `pm_card_authenticationRequired` needs the customer's authentication.
 * `pm_sepa_debit_succeeds` and `pm_sepa_debit_fails` behave like Stripe's SEPA
 * test IBANs: `processing` until `settleDebits()`, then `succeeded`, or back to
 * `requires_payment_method` with `last_payment_error`; `GET
 * /v1/payment_intents/{id}` reads an intent.
 */
import { text } from 'node:stream/consumers';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PaymentIntentRecord {
  id: string;
  amount: number;
  currency: string;
  customer: string;
  paymentMethod: string;
  offSession: boolean;
  confirm: boolean;
  description: string | null;
  metadata: Record<string, string>;
  idempotencyKey: string | null;
  status: 'succeeded' | 'requires_payment_method' | 'processing';
  /** What a processing debit becomes at `settleDebits()`. */
  settlesAs?: 'succeeded' | 'failed';
}

export interface FakeStripe {
  url: string;
  secretKey: string;
  /** Every PaymentIntent created (replays not counted again). */
  intents: PaymentIntentRecord[];
  /** Every request received, replays included. */
  requests: Array<{ idempotencyKey: string | null; replayed: boolean }>;
  /** Customers that exist. */
  customers: Set<string>;
  /** The next `n` requests are answered 500 api_error without doing anything. */
  failNext(n: number): void;
  /** The next request is carried out, but the connection is cut before the answer. */
  dropNextResponse(): void;
  /** Every processing debit settles: succeeds or fails, as its payment method says. */
  settleDebits(): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(7).toString('hex')}`, ...headers });
  res.end(JSON.stringify(body));
};

const stripeError = (type: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { type, message, ...extra } });

/** Stripe's form encoding: `metadata[key]=value` nests one level. */
function parseForm(body: string): { fields: Record<string, string>; metadata: Record<string, string> } {
  const fields: Record<string, string> = {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const nested = /^metadata\[(.+)\]$/.exec(key);
    if (nested) metadata[nested[1]!] = value;
    else fields[key] = value;
  }
  return { fields, metadata };
}

/** A PaymentIntent object as Stripe sends it; a failed debit carries `last_payment_error`. */
function intentObject(record: PaymentIntentRecord) {
  const failedDebit = record.settlesAs === 'failed' && record.status === 'requires_payment_method';
  return {
    id: record.id, object: 'payment_intent', amount: record.amount, amount_received: record.status === 'succeeded' ? record.amount : 0,
    currency: record.currency, customer: record.customer, payment_method: record.paymentMethod, status: record.status,
    description: record.description, metadata: record.metadata, livemode: false, created: Math.floor(Date.now() / 1000),
    last_payment_error: failedDebit
      ? { type: 'card_error', code: 'insufficient_funds', message: 'The bank account has insufficient funds to cover this payment.' }
      : null,
  };
}

/** @example const stripe = await startFakeStripe(); new Stripe(stripe.secretKey, { host: '127.0.0.1', port, protocol: 'http' }) */
export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const intents: PaymentIntentRecord[] = [];
  const requests: FakeStripe['requests'] = [];
  const customers = new Set<string>();
  const answered = new Map<string, { body: string; status: number; payload: unknown }>();
  let failures = 0;
  let drop = false;

  const server = createServer(async (req, res) => {
    const body = await text(req);
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      return json(res, 401, stripeError('invalid_request_error', 'Invalid API Key provided'));
    }
    const read = req.method === 'GET' ? /^\/v1\/payment_intents\/(pi_\w+)$/.exec(req.url ?? '') : null;
    if (read) {
      const found = intents.find((i) => i.id === read[1]);
      return found ? json(res, 200, intentObject(found)) : json(res, 404, stripeError('invalid_request_error', `No such payment_intent: '${read[1]}'`, { code: 'resource_missing' }));
    }
    if (req.method !== 'POST' || req.url !== '/v1/payment_intents') {
      return json(res, 404, stripeError('invalid_request_error', `Unrecognized request URL (${req.method}: ${req.url})`));
    }
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const previous = key ? answered.get(key) : undefined;
    if (previous) {
      requests.push({ idempotencyKey: key, replayed: true });
      if (previous.body !== body) {
        return json(res, 400, stripeError('idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`));
      }
      return json(res, previous.status, previous.payload, { 'idempotent-replayed': 'true', 'idempotency-key': key! });
    }
    requests.push({ idempotencyKey: key, replayed: false });
    if (failures > 0) {
      failures--;
      return json(res, 500, stripeError('api_error', 'An unknown error occurred'));
    }

    const { fields, metadata } = parseForm(body);
    let status: number;
    let payload: unknown;
    if (!customers.has(fields.customer ?? '')) {
      status = 400;
      payload = stripeError('invalid_request_error', `No such customer: '${fields.customer}'`, { code: 'resource_missing', param: 'customer' });
    } else {
      const id = `pi_${randomBytes(12).toString('hex')}`;
      const declined = fields.payment_method === 'pm_card_chargeDeclinedInsufficientFunds';
      const needsAuth = fields.payment_method === 'pm_card_authenticationRequired';
      const debit = /^pm_sepa_debit_(succeeds|fails)$/.exec(fields.payment_method ?? '');
      const record: PaymentIntentRecord = {
        id,
        amount: Number(fields.amount),
        currency: fields.currency ?? '',
        customer: fields.customer!,
        paymentMethod: fields.payment_method ?? '',
        offSession: fields.off_session === 'true',
        confirm: fields.confirm === 'true',
        description: fields.description ?? null,
        metadata,
        idempotencyKey: key,
        status: declined || needsAuth ? 'requires_payment_method' : debit ? 'processing' : 'succeeded',
        ...(debit && { settlesAs: debit[1] === 'succeeds' ? 'succeeded' as const : 'failed' as const }),
      };
      intents.push(record);
      const intent = intentObject(record);
      if (declined) {
        status = 402;
        payload = stripeError('card_error', 'Your card has insufficient funds.', { code: 'card_declined', decline_code: 'insufficient_funds', payment_intent: intent });
      } else if (needsAuth) {
        status = 402;
        payload = stripeError('card_error', 'Your card was declined. This transaction requires authentication.', { code: 'authentication_required', decline_code: 'authentication_required', payment_intent: intent });
      } else {
        status = 200;
        payload = intent;
      }
    }
    if (key) answered.set(key, { body, status, payload });
    if (drop) {
      drop = false;
      return req.socket.destroy();
    }
    json(res, status, payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    intents,
    requests,
    customers,
    failNext: (n) => void (failures = n),
    dropNextResponse: () => void (drop = true),
    settleDebits: () => {
      for (const intent of intents) {
        if (intent.status === 'processing') intent.status = intent.settlesAs === 'succeeded' ? 'succeeded' : 'requires_payment_method';
      }
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

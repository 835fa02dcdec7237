/**
 * @module
 * One HTTP attempt of a webhook: a signed POST, answered within the timeout,
 * never following redirects, and (unless the operator allows it) never to a
 * loopback or private address, checked on the address actually connected to.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from '../domain/webhooks/is-private-address.ts';
import type { WebhookHeaders } from '../domain/webhooks/sign-webhook.ts';
import type { AttemptOutcome } from '../store/deliveries.ts';

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  userAgent: string;
}

/** DNS resolution that refuses private addresses, so a name cannot smuggle the request inside. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses as LookupAddress[];
    const blocked = list.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(Object.assign(new Error(`${hostname} resolves to a private address (${blocked.address})`), { code: 'EPRIVATE' }), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

/**
 * POSTs `body` to `url`; resolves with the status code, or null and the error
 * when there was no answer. Never rejects.
 * @example await sendWebhook('https://shop.example/hooks', body, headers, { timeoutMs: 10_000, allowPrivate: false, userAgent: 'Offertown' })
 */
export function sendWebhook(url: string, body: string, headers: WebhookHeaders, options: SendOptions): Promise<AttemptOutcome> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): AttemptOutcome => ({ statusCode, error, durationMs: performance.now() - started });
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(done(null, 'Invalid URL'));
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && /^[\d.]+$|:/.test(host) && isPrivateAddress(host)) {
      return resolve(done(null, `Blocked: ${host} is a private address`));
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': options.userAgent, ...headers },
      timeout: options.timeoutMs,
      ...(!options.allowPrivate && { lookup: publicOnlyLookup }),
    }, (res) => {
      // Read (and drop) the answer so the socket is released; only the status matters.
      res.resume();
      res.on('end', () => resolve(done(res.statusCode ?? null, res.statusCode && res.statusCode >= 300 ? `HTTP ${res.statusCode}` : null)));
      res.on('error', (error) => resolve(done(res.statusCode ?? null, error.message)));
    });
    req.on('timeout', () => req.destroy(new Error(`No answer within ${options.timeoutMs} ms`)));
    req.on('error', (error) => resolve(done(null, error.message)));
    req.end(body);
  });
}

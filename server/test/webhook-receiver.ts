/**
 * @module
 * A partner's webhook endpoint on 127.0.0.1 for tests: it checks every
 * request's Standard Webhooks signature with the endpoint's secret, answers
 * as told (2xx, an error status, or not at all), and keeps what it received,
 * deduplicated by `webhook-id` as the specification asks of receivers.
 */
import { text } from 'node:stream/consumers';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: number;
  type: string;
  data: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  /** Set once the endpoint is registered. */
  secret: string;
  /** Every verified request it accepted (answered 2xx), repeats included. */
  requests: Received[];
  /** Verified messages, each `webhook-id` once, in order of first arrival. */
  unique(): Received[];
  /** Requests whose signature did not verify. */
  rejected: number;
  /**
   * How to answer the next request: a status, 'hang' (keep the connection open
   * without answering; `onHang` is called), or the default 204.
   */
  respond: (request: Received) => number | 'hang';
  onHang: (() => void) | undefined;
  /** Check `webhook-timestamp` against the real clock too (5 minutes' tolerance), as libraries do. */
  checkTimestamp: boolean;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    secret: '',
    requests: [],
    rejected: 0,
    unique() {
      const seen = new Set<string>();
      return this.requests.filter((r) => !seen.has(r.id) && seen.add(r.id));
    },
    respond: () => 204,
    onHang: undefined,
    checkTimestamp: false,
    close: async () => {},
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await text(req);
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    const webhook = new Webhook(receiver.secret);
    let payload: { type: string; data: Record<string, unknown> };
    try {
      if (receiver.checkTimestamp) {
        payload = webhook.verify(body, headers) as typeof payload;
      } else {
        // The test moves its own clock, so only the signature is checked (the same HMAC `verify` computes).
        const expected = webhook.sign(headers['webhook-id'], new Date(Number(headers['webhook-timestamp']) * 1000), body).split(',')[1];
        if (!headers['webhook-signature'].split(' ').some((s) => s === `v1,${expected}`)) throw new Error('bad signature');
        payload = JSON.parse(body) as typeof payload;
      }
    } catch {
      receiver.rejected++;
      res.writeHead(400).end();
      return;
    }
    const received = { id: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']), type: payload.type, data: payload.data };
    const answer = receiver.respond(received);
    if (answer === 'hang') {
      receiver.onHang?.();
      return;
    }
    if (answer >= 200 && answer < 300) receiver.requests.push(received);
    res.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  receiver.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return receiver;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPartner } from '../store/partners.ts';
import { updateProgram } from '../store/programs.ts';
import { openStore } from '../store/open.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';

const BIN = new URL('../../bin/offertown.js', import.meta.url).pathname;

/** `offertown serve` as its own process on the SQLite file; resolves with its URL once it listens. */
function serve(sqliteFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      OFFERTOWN_DB: sqliteFile, PORT: '0', LOG_LEVEL: 'error',
      OFFERTOWN_JOB_INTERVAL_MS: '100', OFFERTOWN_WEBHOOK_ALLOW_PRIVATE: 'true', OFFERTOWN_WEBHOOK_TIMEOUT_MS: '30000',
      OFFERTOWN_WRITE_RATE_LIMIT: '0', OFFERTOWN_CONVERSION_RATE_LIMIT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${out}`)));
  });
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

let dir: string;
let receiver: WebhookReceiver;
let server: { child: ChildProcess; url: string } | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offertown-crash-'));
  receiver = await startWebhookReceiver();
  receiver.checkTimestamp = true;
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

it('delivers every event exactly once after dedup by webhook-id, though the server was killed mid-delivery', { timeout: 60_000 }, async () => {
  const sqliteFile = join(dir, 'offertown.db');
  const setup = await openStore({ sqliteFile });
  const partner = await createPartner(setup.db, { name: 'Crash Shop', approve: true }, Date.now());
  await updateProgram(setup.db, partner.programId, { rewards: { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true, confirmationPeriodDays: 0 } }, Date.now());
  await setup.db.destroy();
  const headers = { 'x-api-key': partner.apiKey, 'content-type': 'application/json' };
  const api = (url: string, path: string, body: unknown) => fetch(`${url}/api/v1/partners${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  // The receiver takes two messages, then holds the third without answering: the server is killed then.
  let answered = 0;
  let hung: string | undefined;
  const hanging = new Promise<void>((resolve) => (receiver.onHang = resolve));
  receiver.respond = (message) => {
    if (hung === undefined && ++answered > 2) {
      hung = message.id;
      return 'hang';
    }
    return 204;
  };

  server = await serve(sqliteFile);
  const endpoint = await (await api(server.url, '/webhooks', { url: receiver.url })).json() as { secret: string };
  receiver.secret = endpoint.secret;
  for (let i = 0; i < 4; i++) {
    const created = await (await api(server.url, '/referrals', { referrerIdentifier: `cust_${i}`, friendEmail: `f${i}@example.com`, friendName: `F${i}` })).json() as { referralId: string };
    expect((await api(server.url, `/referrals/${created.referralId}/convert`, { conversionValue: 5000, externalTransactionId: `o${i}` })).status).toBe(201);
  }
  await hanging;
  server.child.kill('SIGKILL');
  await stopped(server.child);

  // Restarted on the same file, the server delivers what was pending, the held message included.
  server = await serve(sqliteFile);
  const check = await openStore({ sqliteFile });
  const eventIds = async () => (await check.db.selectFrom('events').select('id').execute()).map((e) => e.id).sort();
  await vi.waitFor(async () => {
    const ids = await eventIds();
    // 4 × (referral.created, referral.converted, reward.approved, reward.funded)
    expect(ids).toHaveLength(16);
    expect(receiver.unique().map((m) => m.id).sort()).toEqual(ids);
  }, { timeout: 30_000, interval: 100 });
  await check.db.destroy();

  expect(receiver.rejected).toBe(0);
  expect(receiver.unique().map((m) => m.id)).toContain(hung);
  expect(new Set(receiver.unique().map((m) => m.type))).toEqual(new Set(['referral.created', 'referral.converted', 'reward.approved', 'reward.funded']));
  server.child.kill('SIGTERM');
  await stopped(server.child);
  server = undefined;
});

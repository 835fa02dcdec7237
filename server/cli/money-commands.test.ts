import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newPartner, type TestPartner } from '../test/api-client.ts';
import { freshStore, type TestStore } from '../test/stores.ts';
import { listWebhookEndpoints } from '../store/webhooks.ts';
import { moneyCommand } from './money-commands.ts';

class UsageError extends Error {}

describe('webhook add (operator CLI)', () => {
  let store: TestStore;
  let partner: TestPartner;
  const printed: string[] = [];
  const add = (url: string, allowPrivateWebhooks = false) => moneyCommand({
    positionals: ['webhook', 'add', partner.programId], flags: { url, json: true }, store, now: Date.now(),
    fail: (message) => new UsageError(message), allowPrivateWebhooks,
  });

  beforeEach(async () => {
    store = await freshStore('sqlite');
    partner = await newPartner(store, { approve: true });
    printed.length = 0;
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await store.cleanup();
  });

  it('registers a public URL and prints the endpoint with its signing secret', async () => {
    await add('https://shop.example/hooks');
    expect(JSON.parse(printed[0]!)).toMatchObject({ url: 'https://shop.example/hooks', secret: expect.stringMatching(/^whsec_/) });
  });

  it('refuses loopback and private addresses, as the API does, unless the operator allows them', async () => {
    await expect(add('http://127.0.0.1:9000/hooks')).rejects.toThrow(/private addresses get no deliveries.*webhook-allow-private/);
    await expect(add('http://localhost/hooks')).rejects.toThrow(UsageError);
    expect(await listWebhookEndpoints(store.db, partner.programId)).toEqual([]);
    await add('http://127.0.0.1:9000/hooks', true);
    expect(await listWebhookEndpoints(store.db, partner.programId)).toHaveLength(1);
  });
});

/**
 * The CLI, run as a self-hoster runs it (`node bin/offertown.js …`), on the
 * same database as a running app: what it changes takes effect at once.
 * Each run costs about half a second, so the steps share one story.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store/connect.ts';
import { openStore } from './store/open.ts';
import { call, PROGRAM, REFERRALS, expectError, newReferralBody, testApp } from './test/api-client.ts';

const BIN = new URL('../bin/offertown.js', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the given arguments, without the caller's database settings leaking in. */
async function offertown(...args: string[]): Promise<Run> {
  const { DATABASE_URL: _url, OFFERTOWN_DB: _db, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('offertown CLI on a SQLite file a running app also uses', () => {
  let dir: string;
  let db: string;
  let store: Store;
  let app: FastifyInstance;
  let partner: { partnerId: string; programId: string; apiKey: string };
  const headers = (apiKey: string) => ({ headers: { 'x-api-key': apiKey } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'offertown-cli-'));
    db = join(dir, 'offertown.db');
    store = await openStore({ sqliteFile: db });
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a partner and prints {partnerId, programId, apiKey} with --json; the key is refused until approval', async () => {
    const run = await offertown('partner', 'create', '--name', 'Shop', '--email', 'owner@shop.example', '--json', '--db', db);
    expect(run.code, run.stderr).toBe(0);
    partner = JSON.parse(run.stdout);
    expect(Object.keys(partner).sort()).toEqual(['apiKey', 'partnerId', 'programId']);
    expect(partner).toEqual({ partnerId: expect.stringMatching(/^prt_/), programId: expect.stringMatching(/^pub_/), apiKey: expect.stringMatching(/^oft_[0-9a-f]{32}$/) });
    expectError(await call(app, headers(partner.apiKey), 'GET', REFERRALS), 403, 'PARTNER_NOT_APPROVED');
  });

  it('approves the partner; the running app accepts its key at once', async () => {
    const run = await offertown('partner', 'approve', partner.partnerId, '--db', db);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(partner.partnerId);
    const created = await call(app, headers(partner.apiKey), 'POST', REFERRALS, newReferralBody());
    expect(created.statusCode).toBe(201);
  });

  it('lists partners with their program and approval', async () => {
    const run = await offertown('partner', 'list', '--json', '--db', db);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { partnerId: partner.partnerId, programId: partner.programId, name: 'Shop', email: 'owner@shop.example', approved: true },
    ]);
  });

  it('rotates the key: the running app refuses the old key at once and accepts the new one', async () => {
    const run = await offertown('key', 'rotate', partner.partnerId, '--json', '--db', db);
    expect(run.code, run.stderr).toBe(0);
    const { apiKey } = JSON.parse(run.stdout) as { apiKey: string };
    expect(apiKey).toMatch(/^oft_[0-9a-f]{32}$/);
    expect(apiKey).not.toBe(partner.apiKey);
    expectError(await call(app, headers(partner.apiKey), 'GET', REFERRALS), 401, 'INVALID_API_KEY');
    expect((await call(app, headers(apiKey), 'GET', REFERRALS)).json().pagination.total).toBe(1);
    partner.apiKey = apiKey;
  });

  it('sets the landing URL and allowed origins, which the API and `program show` then report', async () => {
    const set = await offertown('program', 'set', partner.programId, '--landing-url', 'https://shop.example/welcome',
      '--allowed-origins', 'https://shop.example, https://www.shop.example', '--db', db);
    expect(set.code, set.stderr).toBe(0);
    const expected = { programId: partner.programId, landingUrl: 'https://shop.example/welcome', allowedOrigins: ['https://shop.example', 'https://www.shop.example'] };
    expect(JSON.parse(set.stdout)).toMatchObject(expected);
    expect((await call(app, headers(partner.apiKey), 'GET', PROGRAM)).json()).toMatchObject(expected);
    const show = await offertown('program', 'show', partner.programId, '--db', db);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject(expected);
  });

  it('refuses invalid program settings with exit code 2 and a message naming each, changing nothing', async () => {
    const run = await offertown('program', 'set', partner.programId, '--landing-url', 'javascript:alert(1)', '--allowed-origins', 'https://shop.example/path', '--db', db);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/landingUrl/);
    expect(run.stderr).toMatch(/allowedOrigins/);
    expect(run.stdout).toBe('');
    expect((await call(app, headers(partner.apiKey), 'GET', PROGRAM)).json().landingUrl).toBe('https://shop.example/welcome');
  });
});

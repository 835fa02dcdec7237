import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewardsUpdateFromFlags } from '../cli/reward-flags.ts';
import { manualClock } from '../domain/clock.ts';
import { call, expectError, fieldNames, newPartner, PROGRAM, testApp } from '../test/api-client.ts';
import { freshStore, type TestStore } from '../test/stores.ts';

describe('a program\'s reward settings', () => {
  let store: TestStore;
  let app: FastifyInstance;
  const clock = manualClock();
  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await testApp(store, {}, clock);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('start with no rewards, 30 days to confirm and approval by hand', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    expect((await call(app, partner, 'GET', PROGRAM)).json().rewards).toEqual({
      referrerReward: null, friendReward: null, confirmationPeriodDays: 30, autoApprove: false,
    });
  });

  it('change field by field; a rule is replaced as a whole', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const first = await call(app, partner, 'PATCH', PROGRAM, {
      rewards: { referrerReward: { type: 'percentage', basisPoints: 1000, maxAmount: 2500 }, friendReward: { type: 'fixed', amount: 500 } },
    });
    expect(first.statusCode, first.body).toBe(200);
    const second = await call(app, partner, 'PATCH', PROGRAM, { rewards: { referrerReward: { type: 'fixed', amount: 1000 }, autoApprove: true } });
    expect(second.json().rewards).toEqual({
      referrerReward: { type: 'fixed', amount: 1000 },
      friendReward: { type: 'fixed', amount: 500 },
      confirmationPeriodDays: 30,
      autoApprove: true,
    });
    expect((await call(app, partner, 'GET', PROGRAM)).json().rewards).toEqual(second.json().rewards);
  });

  it('refuse fractions of cents, percentages above 100 % and unknown fields, naming each', async () => {
    const partner = await newPartner(store, { now: clock.now() });
    const error = expectError(await call(app, partner, 'PATCH', PROGRAM, {
      rewards: {
        referrerReward: { type: 'fixed', amount: 10.5 },
        friendReward: { type: 'percentage', basisPoints: 10_001 },
        confirmationPeriodDays: -1,
        payout: 'now',
      },
    }), 400, 'VALIDATION_ERROR');
    expect(fieldNames(error)).toEqual(expect.arrayContaining([
      'rewards.referrerReward.amount', 'rewards.friendReward.basisPoints', 'rewards.confirmationPeriodDays', 'rewards.payout',
    ]));
  });

  it('are described in the OpenAPI document', async () => {
    const doc = (await call(app, null, 'GET', '/api/openapi.json')).json();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ProgramRewards', 'RewardRule']));
  });
});

describe('the CLI\'s reward flags', () => {
  const flags = (given: Record<string, string>) => rewardsUpdateFromFlags((flag) => given[flag]);
  it('read cents, percentages with up to two decimals, caps and none', () => {
    expect(flags({ 'referrer-reward': '12.5%', 'referrer-reward-max': '1500', 'friend-reward': '500', 'confirmation-days': '14', 'auto-approve': 'true' })).toEqual({
      referrerReward: { type: 'percentage', basisPoints: 1250, maxAmount: 1500 },
      friendReward: { type: 'fixed', amount: 500 },
      confirmationPeriodDays: 14,
      autoApprove: true,
    });
    expect(flags({ 'friend-reward': 'none' })).toEqual({ friendReward: null });
    expect(flags({})).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { programUpdate } from '../../contract/program.ts';
import { RewardFlagError, rewardsUpdateFromFlags } from './reward-flags.ts';

const flags = (given: Record<string, string>) => (flag: string) => given[flag];

describe('program set reward flags', () => {
  it('reads cents, percentages with a cap, none, days and auto-approval into a valid update', () => {
    const rewards = rewardsUpdateFromFlags(flags({
      'referrer-reward': '12.5%', 'referrer-reward-max': '5000', 'friend-reward': '500', 'confirmation-days': '14', 'auto-approve': 'false',
    }));
    expect(rewards).toEqual({
      referrerReward: { type: 'percentage', basisPoints: 1250, maxAmount: 5000 },
      friendReward: { type: 'fixed', amount: 500 },
      confirmationPeriodDays: 14,
      autoApprove: false,
    });
    expect(programUpdate.safeParse({ rewards }).success).toBe(true);
    expect(rewardsUpdateFromFlags(flags({ 'friend-reward': 'none' }))).toEqual({ friendReward: null });
    expect(rewardsUpdateFromFlags(flags({}))).toBeUndefined();
  });

  it('says what to do with a cap that has no percentage, instead of dropping it', () => {
    expect(() => rewardsUpdateFromFlags(flags({ 'referrer-reward-max': '5000' }))).toThrow(RewardFlagError);
    expect(() => rewardsUpdateFromFlags(flags({ 'friend-reward': '500', 'friend-reward-max': '100' }))).toThrow(/goes with a percentage/);
  });
});

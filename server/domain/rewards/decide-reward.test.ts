import { describe, expect, it } from 'vitest';
import { REWARD_STATUSES } from '../../../contract/rewards.ts';
import { decideReward } from './decide-reward.ts';

const at = (status: (typeof REWARD_STATUSES)[number], extra: { fundingInFlight?: boolean; funded?: boolean } = {}) =>
  ({ status, fundingInFlight: false, funded: status === 'funded', ...extra });

describe('decideReward', () => {
  it('approves a reward awaiting approval, and approving again changes nothing', () => {
    expect(decideReward(at('awaiting_approval'), 'approve')).toEqual({ kind: 'change', status: 'approved' });
    for (const status of ['approved', 'matured', 'funded', 'funding_failed', 'voided'] as const) {
      expect(decideReward(at(status), 'approve')).toEqual({ kind: 'unchanged' });
    }
  });

  it('never approves a rejected reward', () => {
    expect(decideReward(at('rejected'), 'approve').kind).toBe('conflict');
  });

  it('rejects until funding starts; after that only a refund takes money back', () => {
    for (const status of ['awaiting_approval', 'approved', 'matured', 'funding_failed'] as const) {
      expect(decideReward(at(status), 'reject')).toEqual({ kind: 'change', status: 'rejected' });
    }
    expect(decideReward(at('rejected'), 'reject')).toEqual({ kind: 'unchanged' });
    expect(decideReward(at('funded'), 'reject').kind).toBe('conflict');
    expect(decideReward(at('voided', { funded: true }), 'reject').kind).toBe('conflict');
    expect(decideReward(at('matured', { fundingInFlight: true }), 'reject').kind).toBe('conflict');
    expect(decideReward(at('voided'), 'reject')).toEqual({ kind: 'unchanged' });
  });
});

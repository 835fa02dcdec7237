/**
 * @module
 * Whether a partner's approval or rejection applies to a reward.
 */
import type { RewardStatus } from '../../../contract/rewards.ts';

export type RewardDecision = 'approve' | 'reject';

export type DecisionOutcome =
  | { kind: 'change'; status: 'approved' | 'rejected' }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; message: string };

export interface DecidableReward {
  status: RewardStatus;
  /** A charge for it is under way (or its outcome not yet recorded). */
  fundingInFlight: boolean;
  funded: boolean;
}

/**
 * Approving is idempotent and cannot revive a rejected reward; rejecting is
 * possible until funding starts, after which only a refund takes money back.
 * @example decideReward({ status: 'awaiting_approval', fundingInFlight: false, funded: false }, 'approve') // { kind: 'change', status: 'approved' }
 */
export function decideReward(reward: DecidableReward, decision: RewardDecision): DecisionOutcome {
  const { status } = reward;
  if (decision === 'approve') {
    if (status === 'awaiting_approval') return { kind: 'change', status: 'approved' };
    if (status === 'rejected') return { kind: 'conflict', message: 'The reward was rejected; a rejection is final' };
    return { kind: 'unchanged' };
  }
  if (status === 'rejected') return { kind: 'unchanged' };
  if (reward.funded) return { kind: 'conflict', message: 'The reward was already funded; report a refund to take it back' };
  if (reward.fundingInFlight) return { kind: 'conflict', message: 'The reward is being funded right now; report a refund to take it back' };
  if (status === 'voided') return { kind: 'unchanged' };
  return { kind: 'change', status: 'rejected' };
}

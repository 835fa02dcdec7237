/**
 * @module
 * `offertown program set`'s reward flags, turned into the same update the
 * partner API's `PATCH /program` takes (`rewards`), so one schema validates both.
 */

/** parseArgs options of the reward flags. */
export const REWARD_FLAGS = {
  'referrer-reward': { type: 'string' },
  'referrer-reward-max': { type: 'string' },
  'friend-reward': { type: 'string' },
  'friend-reward-max': { type: 'string' },
  'confirmation-days': { type: 'string' },
  'auto-approve': { type: 'string' },
} as const;

/** The usage lines of the reward flags. */
export const REWARD_FLAGS_USAGE = `                         [--referrer-reward CENTS|PERCENT%|none] [--referrer-reward-max CENTS]
                         [--friend-reward CENTS|PERCENT%|none] [--friend-reward-max CENTS]
                         [--confirmation-days N] [--auto-approve true|false]`;

type Text = (flag: string) => string | undefined;

/** A reward flag that cannot be understood; the CLI prints its message. */
export class RewardFlagError extends Error {}

/** "1000" → 1000 cents; "10%" / "12.5%" → basis points; "none" → null; anything else is kept for the schema to refuse. */
function rule(value: string | undefined, max: string | undefined, name: string): unknown {
  const percent = value === undefined ? null : /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(value);
  // A rule is replaced as a whole, and only a percentage has a cap: a cap alone would lose the percentage.
  if (max !== undefined && !percent) throw new RewardFlagError(`--${name}-max goes with a percentage --${name}, such as --${name} 10% --${name}-max 5000`);
  if (value === undefined) return undefined;
  if (value === 'none' || value === '') return null;
  if (percent) {
    const basisPoints = Number(percent[1]) * 100 + Number((percent[2] ?? '').padEnd(2, '0'));
    return { type: 'percentage', basisPoints, maxAmount: max === undefined || max === '' ? null : Number(max) };
  }
  return { type: 'fixed', amount: /^\d+$/.test(value) ? Number(value) : value };
}

/**
 * The `rewards` part of a program update from the flags, or undefined when none was given.
 * @example rewardsUpdateFromFlags((f) => ({ 'referrer-reward': '10%', 'auto-approve': 'true' })[f]) // { referrerReward: { type: 'percentage', basisPoints: 1000, maxAmount: null }, autoApprove: true }
 */
export function rewardsUpdateFromFlags(text: Text): Record<string, unknown> | undefined {
  const days = text('confirmation-days');
  const auto = text('auto-approve');
  const update = {
    referrerReward: rule(text('referrer-reward'), text('referrer-reward-max'), 'referrer-reward'),
    friendReward: rule(text('friend-reward'), text('friend-reward-max'), 'friend-reward'),
    confirmationPeriodDays: days === undefined ? undefined : Number(days),
    autoApprove: auto === undefined ? undefined : auto === 'true' ? true : auto === 'false' ? false : auto,
  };
  const given = Object.entries(update).filter(([, v]) => v !== undefined);
  return given.length ? Object.fromEntries(given) : undefined;
}

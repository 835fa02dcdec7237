/**
 * @module
 * The friend's reward in words, for the widget's success screen: the
 * program's own text when it has one (a coupon, say), else its friend reward
 * rule, with the amount in euros as the visitor's locale writes them.
 */
import type { Locale } from '../../contract/program.ts';
import type { RewardRule } from '../../contract/rewards.ts';
import { fill } from '../../widget/fill.ts';
import type { Messages } from '../../widget/messages/index.ts';

/**
 * @example friendReward(null, { type: 'fixed', amount: 1000 }, 'de', MESSAGES.de) // '10,00 €, sobald Ihr Einkauf bestätigt ist'
 */
export function friendReward(text: string | null | undefined, rule: RewardRule | null | undefined, locale: Locale, t: Messages): string | null {
  if (text) return text;
  if (!rule) return null;
  const euros = (cents: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
  if (rule.type === 'fixed') return fill(t.rewardAmount, { amount: euros(rule.amount) });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(rule.basisPoints / 10_000);
  return rule.maxAmount ? fill(t.rewardShareUpTo, { percent, max: euros(rule.maxAmount) }) : fill(t.rewardShare, { percent });
}

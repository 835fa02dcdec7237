/**
 * @module
 * The ledger's accounts, one name per holder. A balance is the sum of an
 * account's entries: positive means Offertown owes the holder (a wallet, a
 * partner's credit, the operator's commission), negative that the holder owes
 * Offertown (a partner's open balance) or, for a cash account, money received.
 */

/** A referrer's wallet: funded rewards in, clawbacks out. */
export const walletAccount = (referrerId: string) => `wallet:${referrerId}`;

/** A referred friend's wallet, per referral (friends have no identifier of the partner's). */
export const friendWalletAccount = (referralId: string) => `friend:${referralId}`;

/** A partner's balance with the operator: charged at funding, credited by payments and clawbacks. */
export const partnerAccount = (partnerId: string) => `partner:${partnerId}`;

/** The operator's commission income. */
export const COMMISSION_ACCOUNT = 'operator:commission';

/** Money received through a payment provider (`stripe`) or settled by hand (`manual`). */
export const cashAccount = (provider: string) => `cash:${provider}`;

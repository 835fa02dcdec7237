/**
 * @module
 * A partner's billing: the saved Stripe customer and payment method, the
 * ledger balance, and settlements recorded by the operator.
 */
import type { Kysely } from 'kysely';
import type { BillingUpdate } from '../../contract/rewards.ts';
import { cashAccount, partnerAccount } from '../domain/ledger/accounts.ts';
import type { PartnerBilling } from '../payments/provider.ts';
import type { Store } from './connect.ts';
import { retryFailedFunding } from './funding.ts';
import { accountBalance, postMovement } from './ledger.ts';
import type { Database } from './schema.ts';

export interface PartnerAccount extends PartnerBilling {
  /** Cents: negative is owed to the operator, positive a credit. */
  balance: number;
}

/** The partner's payment details and balance, or null when there is no such partner. */
export async function getPartnerAccount(db: Kysely<Database>, partnerId: string): Promise<PartnerAccount | null> {
  const row = await db.selectFrom('partners').select(['stripe_customer_id', 'stripe_payment_method_id']).where('id', '=', partnerId).executeTakeFirst();
  if (!row) return null;
  return {
    stripeCustomerId: row.stripe_customer_id,
    stripePaymentMethodId: row.stripe_payment_method_id,
    balance: await accountBalance(db, partnerAccount(partnerId)),
  };
}

/**
 * Changes the saved payment details; rewards whose funding had failed are
 * tried again at the next run. Null when there is no such partner.
 */
export async function updatePartnerBilling(store: Store, partnerId: string, update: BillingUpdate, now: number): Promise<PartnerAccount | null> {
  const changes = {
    ...(update.stripeCustomerId !== undefined && { stripe_customer_id: update.stripeCustomerId }),
    ...(update.stripePaymentMethodId !== undefined && { stripe_payment_method_id: update.stripePaymentMethodId }),
  };
  if (Object.keys(changes).length) {
    const result = await store.db.updateTable('partners').set(changes).where('id', '=', partnerId).executeTakeFirst();
    if (result.numUpdatedRows === 0n) return null;
    await retryFailedFunding(store, partnerId, now);
  }
  return getPartnerAccount(store.db, partnerId);
}

/**
 * Records money the operator received from a partner outside any provider
 * (a bank transfer settling the manual provider's open balance).
 * @example await recordSettlement(store, 'prt_…', 11500, Date.now())
 */
export async function recordSettlement(store: Store, partnerId: string, amount: number, now: number): Promise<number> {
  await store.db.transaction().execute((trx) => postMovement(trx, {
    kind: 'settlement',
    lines: [{ account: partnerAccount(partnerId), amount }, { account: cashAccount('manual'), amount: -amount }],
    partnerId,
    now,
  }));
  return accountBalance(store.db, partnerAccount(partnerId));
}

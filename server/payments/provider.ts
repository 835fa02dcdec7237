/**
 * @module
 * What funding needs of a payment provider: charge a partner an amount, at most
 * once per idempotency key. `manual` collects nothing (charges accrue as the
 * partner's open balance); `stripe` charges the partner's saved payment method.
 */

export interface PartnerBilling {
  stripeCustomerId: string | null;
  stripePaymentMethodId: string | null;
}

export interface ChargeRequest {
  partnerId: string;
  /** Cents, more than 0. */
  amount: number;
  currency: 'eur';
  /** The same key for a repeated request (after a crash) must never charge twice. */
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
  billing: PartnerBilling;
}

export type ChargeResult =
  /** `pending`: accepted but not settled yet (a bank debit); `paymentOutcome` tells later. */
  | { ok: true; paymentId: string; pending?: boolean }
  | { ok: false; code: string; message: string; retryable: boolean };

/** What became of a pending payment. */
export type PaymentOutcome =
  | { status: 'succeeded' | 'pending' }
  | { status: 'failed'; code: string; message: string };

export interface PaymentProvider {
  name: 'manual' | 'stripe';
  /** False when the provider never charges and funding leaves the amount owed. */
  collects: boolean;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Looks up a payment `charge` answered as pending; only providers whose payments can be pending have it. */
  paymentOutcome?(paymentId: string): Promise<PaymentOutcome>;
}

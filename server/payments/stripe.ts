/**
 * @module
 * Stripe through its official SDK: an off-session PaymentIntent, confirmed at
 * once, on the partner's saved customer and payment method, with Stripe's
 * idempotency key so a repeated request returns the first one's result.
 */
import Stripe from 'stripe';
import type { ChargeRequest, ChargeResult, PaymentOutcome, PaymentProvider } from './provider.ts';

export interface StripeOptions {
  secretKey: string;
  /** Another API base (stripe-mock, a test server), e.g. http://127.0.0.1:12111 */
  apiUrl?: string | undefined;
  /** The SDK's own retries of network errors, with the same idempotency key. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/** Decline codes and errors a later retry can fix by itself (funds, a bank's hiccup). */
const RETRYABLE_CODES = new Set(['card_declined', 'insufficient_funds', 'processing_error', 'try_again_later', 'rate_limit', 'lock_timeout']);

/**
 * @example const provider = stripeProvider({ secretKey: process.env.STRIPE_SECRET_KEY! })
 */
export function stripeProvider(options: StripeOptions): PaymentProvider {
  const url = options.apiUrl ? new URL(options.apiUrl) : undefined;
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'Offertown' },
    ...(url && {
      host: url.hostname,
      port: url.port || (url.protocol === 'http:' ? 80 : 443),
      protocol: url.protocol === 'http:' ? 'http' : 'https',
    }),
  });

  return {
    name: 'stripe',
    collects: true,
    async charge(request: ChargeRequest): Promise<ChargeResult> {
      const { stripeCustomerId, stripePaymentMethodId } = request.billing;
      if (!stripeCustomerId || !stripePaymentMethodId) {
        return { ok: false, code: 'no_payment_method', message: 'No saved Stripe customer and payment method: set them in your billing settings', retryable: false };
      }
      try {
        const intent = await stripe.paymentIntents.create({
          amount: request.amount,
          currency: request.currency,
          customer: stripeCustomerId,
          payment_method: stripePaymentMethodId,
          off_session: true,
          confirm: true,
          description: request.description,
          metadata: request.metadata,
        }, { idempotencyKey: request.idempotencyKey });
        if (intent.status === 'succeeded') return { ok: true, paymentId: intent.id };
        // Bank debits settle days later: funded now, checked by paymentOutcome until they settle or fail.
        if (intent.status === 'processing') return { ok: true, paymentId: intent.id, pending: true };
        return { ok: false, code: intent.status, message: `The payment needs action from you (${intent.status}); update your payment method`, retryable: false };
      } catch (error) {
        return failure(error);
      }
    },
    async paymentOutcome(paymentId: string): Promise<PaymentOutcome> {
      const intent = await stripe.paymentIntents.retrieve(paymentId);
      if (intent.status === 'succeeded') return { status: 'succeeded' };
      if (intent.status === 'processing') return { status: 'pending' };
      // A failed debit returns the PaymentIntent to requires_payment_method, with the reason.
      const error = intent.last_payment_error;
      return { status: 'failed', code: error?.decline_code ?? error?.code ?? intent.status, message: error?.message ?? `The payment ended as ${intent.status}` };
    },
  };
}

function failure(error: unknown): ChargeResult {
  if (error instanceof Stripe.errors.StripeCardError) {
    const code = error.decline_code ?? error.code ?? 'card_declined';
    return { ok: false, code, message: error.message, retryable: RETRYABLE_CODES.has(code) || RETRYABLE_CODES.has(error.code ?? '') };
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeAuthenticationError
    || error instanceof Stripe.errors.StripePermissionError || error instanceof Stripe.errors.StripeIdempotencyError) {
    return { ok: false, code: error.code ?? error.type, message: error.message, retryable: false };
  }
  if (error instanceof Stripe.errors.StripeError) {
    return { ok: false, code: error.code ?? error.type, message: error.message, retryable: true };
  }
  return { ok: false, code: 'provider_error', message: error instanceof Error ? error.message : String(error), retryable: true };
}

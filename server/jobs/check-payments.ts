/**
 * @module
 * Looks up payments that funded a reward before they settled, until each
 * settles or fails (see store/pending-payments.ts for what a failure does).
 */
import type { Clock } from '../domain/clock.ts';
import type { PaymentProvider } from '../payments/provider.ts';
import type { Store } from '../store/connect.ts';
import { duePendingPayments, recordPaymentFailed, recordPaymentSettled, recordPaymentStillPending } from '../store/pending-payments.ts';

export interface PaymentCheckDeps {
  store: Store;
  clock: Clock;
  provider: PaymentProvider;
  batchSize?: number;
}

export interface PaymentCheckRun {
  settled: number;
  failed: number;
  pending: number;
}

/** @example await checkPendingPayments({ store, clock, provider: stripeProvider(…) }) */
export async function checkPendingPayments({ store, clock, provider, batchSize = 50 }: PaymentCheckDeps): Promise<PaymentCheckRun> {
  const run = { settled: 0, failed: 0, pending: 0 };
  if (!provider.paymentOutcome) return run;
  for (const payment of await duePendingPayments(store, clock.now(), batchSize)) {
    // Not reachable now: it stays pending and is looked up again later.
    const outcome = await provider.paymentOutcome(payment.paymentId).catch(() => ({ status: 'pending' as const }));
    const now = clock.now();
    if (outcome.status === 'succeeded') {
      if (await recordPaymentSettled(store, payment, now)) run.settled++;
    } else if (outcome.status === 'failed') {
      if (await recordPaymentFailed(store, payment, provider.name, outcome, now)) run.failed++;
    } else {
      await recordPaymentStillPending(store, payment, now);
      run.pending++;
    }
  }
  return run;
}

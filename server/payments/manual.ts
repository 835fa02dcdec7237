/**
 * @module
 * The zero-configuration provider: nothing is charged; what partners owe
 * accrues on their ledger balance, and the operator settles it by hand
 * (`offertown partner settle`).
 */
import type { PaymentProvider } from './provider.ts';

/** @example const provider = manualProvider(); provider.collects // false */
export function manualProvider(): PaymentProvider {
  return {
    name: 'manual',
    collects: false,
    charge: async () => ({ ok: false, code: 'manual_provider', message: 'The manual provider does not charge', retryable: false }),
  };
}

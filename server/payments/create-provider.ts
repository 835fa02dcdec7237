/**
 * @module
 * The payment provider the settings ask for.
 */
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import { manualProvider } from './manual.ts';
import type { PaymentProvider } from './provider.ts';
import { stripeProvider } from './stripe.ts';

/**
 * @example createProvider(defaultConfig()).name // 'manual'
 * @throws ConfigError when stripe is chosen without a secret key
 */
export function createProvider(config: Pick<Config, 'paymentProvider' | 'stripeSecretKey' | 'stripeApiUrl'>): PaymentProvider {
  if (config.paymentProvider === 'manual') return manualProvider();
  if (!config.stripeSecretKey) throw new ConfigError('--payment-provider stripe needs --stripe-secret-key / STRIPE_SECRET_KEY');
  return stripeProvider({ secretKey: config.stripeSecretKey, apiUrl: config.stripeApiUrl });
}

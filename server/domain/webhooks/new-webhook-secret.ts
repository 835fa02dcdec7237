/**
 * @module
 * Endpoint signing secrets in the Standard Webhooks form: `whsec_` and 24
 * random bytes in base64, which every Standard Webhooks library accepts as is.
 */
import { randomBytes } from 'node:crypto';

/** @example newWebhookSecret() // 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

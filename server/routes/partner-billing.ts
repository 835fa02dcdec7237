/**
 * @module
 * `GET/PATCH /api/v1/partners/billing` (documented extension): how the
 * operator charges you for rewards, your saved Stripe payment details and
 * your balance.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { billing, billingUpdate, type Billing } from '../../contract/rewards.ts';
import type { RouteDeps } from '../app.ts';
import { noQuery, partnerErrors } from '../http/route-schemas.ts';
import { ApiError } from '../domain/api-error.ts';
import type { PartnerAccount } from '../store/billing.ts';
import { getPartnerAccount, updatePartnerBilling } from '../store/billing.ts';

export async function partnerBillingRoutes(app: FastifyInstance, { store, clock, config, rateLimits }: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['Billing'], security: [{ apiKey: [] }], querystring: noQuery };
  const errors = partnerErrors(404);
  const toBilling = (account: PartnerAccount | null): Billing => {
    if (!account) throw new ApiError('NOT_FOUND', 'Partner not found');
    return { provider: config.paymentProvider, ...account, commission: { basisPoints: config.commissionBps, fixed: config.commissionFixed } };
  };

  api.get('/billing', {
    schema: { ...common, summary: 'Get your billing settings and balance', response: { 200: billing, ...errors } },
  }, async (request) => toBilling(await getPartnerAccount(store.db, request.partner.partnerId)));

  api.patch('/billing', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      ...common,
      summary: 'Change your saved payment details',
      description: 'Extension. The Stripe customer and payment method the operator charges off-session; null clears one. '
        + 'Rewards whose funding failed are tried again at the next run.',
      body: billingUpdate,
      response: { 200: billing, ...errors },
    },
  }, async (request) => toBilling(await updatePartnerBilling(store, request.partner.partnerId, request.body, clock.now())));
}

/**
 * @module
 * Rewards in the partner API (documented extensions): approve or reject a
 * conversion's rewards, report refunds and disputes, and list rewards.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { referralIdParams } from '../../contract/referrals.ts';
import { refundBody, refundResponse, reward, rewardDecisionBody, rewardDecisionResponse, rewardList, rewardListQuery } from '../../contract/rewards.ts';
import type { RouteDeps } from '../app.ts';
import { noQuery, partnerErrors } from '../http/route-schemas.ts';
import { ApiError } from '../domain/api-error.ts';
import type { RewardDecision } from '../domain/rewards/decide-reward.ts';
import { recordRefund } from '../store/refunds.ts';
import { decideReferralRewards, getReward, listRewards } from '../store/rewards.ts';


export async function partnerRewardRoutes(app: FastifyInstance, { store, clock, config, rateLimits }: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ apiKey: [] }];

  const decide = (decision: RewardDecision, summary: string, description: string) =>
    api.post(`/referrals/:referralId/${decision}`, {
      onRequest: rateLimits.writesPerIp,
      schema: {
        tags: ['Rewards'], security, summary, description,
        params: referralIdParams,
        querystring: noQuery,
        body: rewardDecisionBody.nullish(),
        response: { 200: rewardDecisionResponse, ...partnerErrors(404, 409) },
      },
    }, async (request) => decideReferralRewards(store, request.partner.programId, request.params.referralId, decision, request.body?.reason, clock.now()));

  decide('approve', 'Approve a conversion\'s rewards',
    'Extension. Approved rewards mature when the confirmation period has passed and are then funded. Idempotent. '
    + 'A rejected reward cannot be approved (409 REWARD_CONFLICT); a referral that is not converted is 409 REFERRAL_NOT_CONVERTED.');
  decide('reject', 'Reject a conversion\'s rewards',
    'Extension. Possible until funding starts; after that report a refund. Idempotent; `reason` is kept with the reward.');

  api.post('/referrals/:referralId/refunds', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags: ['Rewards'], security,
      summary: 'Report a refund or dispute',
      description: 'Extension. Claws the rewards back in proportion (reward × refunded ÷ conversion value, on the running total, '
        + 'rounded to the nearest cent with halves up): before funding the reward shrinks, after funding the referrer\'s wallet is debited '
        + 'and you are credited. A full refund or a dispute voids what stands. Idempotent on idempotencyKey (200 on replay; '
        + 'the same key with a different amount is 409 IDEMPOTENCY_KEY_REUSED).',
      params: referralIdParams,
      querystring: noQuery,
      body: refundBody,
      response: { 200: refundResponse, 201: refundResponse, ...partnerErrors(404, 409) },
    },
  }, async (request, reply) => {
    const result = await recordRefund(store, request.partner.programId, request.params.referralId, request.body, clock.now());
    reply.code(result.idempotent ? 200 : 201);
    return result;
  });

  api.get('/rewards', {
    schema: {
      tags: ['Rewards'], security,
      summary: 'List rewards',
      description: 'Extension. Newest first; filter by status (funding_failed shows what could not be charged, with the reason), referral or referrer.',
      querystring: rewardListQuery(config.maxPageSize),
      response: { 200: rewardList, ...partnerErrors() },
    },
  }, async (request) => {
    const { rewards, total } = await listRewards(store.db, request.partner.programId, request.query);
    return { rewards, pagination: { page: request.query.page, pageSize: request.query.pageSize, total } };
  });

  api.get('/rewards/:rewardId', {
    schema: {
      tags: ['Rewards'], security,
      summary: 'Get a reward',
      params: z.strictObject({ rewardId: z.string().min(1).max(64) }),
      querystring: noQuery,
      response: { 200: reward, ...partnerErrors(404) },
    },
  }, async (request) => {
    const found = await getReward(store.db, request.partner.programId, request.params.rewardId);
    if (!found) throw new ApiError('NOT_FOUND', 'Reward not found');
    return found;
  });
}

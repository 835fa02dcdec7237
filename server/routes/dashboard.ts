/**
 * @module
 * The partner dashboard at /dashboard. A partner signs in with their API key,
 * which is kept in an HTTP-only, SameSite=Strict cookie scoped to /dashboard
 * and checked on every request: rotating the key signs every session out.
 * Forms are same-origin only (the Origin header is checked on every POST).
 */
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { programUpdate } from '../../contract/program.ts';
import { referralStatus } from '../../contract/referrals.ts';
import type { RouteDeps } from '../app.ts';
import { loginPage, referralPage, referralsPage, settingsPage } from '../dashboard/pages.ts';
import type { SafeHtml } from '../dashboard/html.ts';
import { ApiError } from '../domain/api-error.ts';
import { embedSnippets } from '../domain/embed-snippet.ts';
import { serverUrl, shareUrls } from '../http/server-url.ts';
import { findKeyOwner } from '../store/partners.ts';
import { getProgram, updateProgram } from '../store/programs.ts';
import { skipConfirmationPeriod } from '../store/demo-controls.ts';
import { getReferral, listReferrals } from '../store/referrals.ts';
import { getReferrer } from '../store/referrer-summaries.ts';
import { recordRefund } from '../store/refunds.ts';
import { decideReferralRewards, listRewards } from '../store/rewards.ts';

const SESSION_COOKIE = 'ot_dashboard';
const SESSION_SECONDS = 12 * 3600;
const PAGE_SIZE = 25;

const send = (reply: FastifyReply, page: SafeHtml, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);

export async function dashboardRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { store, clock, config } = deps;
  await app.register(async (dashboard) => {
    await dashboard.register(cookie);
    await dashboard.register(formbody, { bodyLimit: 16_384 });

    dashboard.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (request.method === 'POST' && origin && new URL(origin).host !== request.host) {
        return send(reply, loginPage('This form can only be sent from the dashboard itself.'), 403);
      }
      if (request.url.startsWith('/dashboard/login')) return;
      const apiKey = request.cookies[SESSION_COOKIE];
      const owner = apiKey ? await findKeyOwner(store.db, apiKey) : null;
      if (!owner?.approved) return reply.redirect('/dashboard/login', 303);
      request.partner = { partnerId: owner.partnerId, programId: owner.programId, attributionWindowDays: owner.attributionWindowDays };
    });

    dashboard.get('/dashboard/login', async (_request, reply) => send(reply, loginPage()));

    dashboard.post('/dashboard/login', async (request, reply) => {
      const apiKey = String((request.body as { apiKey?: unknown } | undefined)?.apiKey ?? '').trim();
      const owner = await findKeyOwner(store.db, apiKey);
      if (!owner) return send(reply, loginPage('That API key is not valid.'), 401);
      if (!owner.approved) return send(reply, loginPage('Your partner account is not approved yet.'), 403);
      reply.setCookie(SESSION_COOKIE, apiKey, {
        path: '/dashboard', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: SESSION_SECONDS,
      });
      return reply.redirect('/dashboard', 303);
    });

    dashboard.post('/dashboard/logout', async (_request, reply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/dashboard' });
      return reply.redirect('/dashboard/login', 303);
    });

    dashboard.get('/dashboard', async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      const status = referralStatus.safeParse(query.status).data;
      const search = query.search?.slice(0, config.searchLimit) || undefined;
      const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
      const { referrals, total } = await listReferrals(store.db, store.dialect, request.partner, {
        status, search, page, pageSize: PAGE_SIZE, sortBy: 'createdAt', sortOrder: 'desc',
      }, clock.now());
      return send(reply, referralsPage({ referrals, total, page, pageSize: PAGE_SIZE, status, search }));
    });

    /** The referral page with its rewards, or back to the list when the referral is not this partner's. */
    const showReferral = async (request: FastifyRequest, reply: FastifyReply, outcome: { notice?: string; error?: string } = {}) => {
      const { referralId } = request.params as { referralId: string };
      const now = clock.now();
      let referral;
      try {
        referral = await getReferral(store.db, request.partner, referralId, now);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') return reply.redirect('/dashboard', 303);
        throw error;
      }
      const [{ rewards }, referrer] = await Promise.all([
        listRewards(store.db, request.partner.programId, { referralId, page: 1, pageSize: 50 }),
        getReferrer(store.db, request.partner, referral.referrerIdentifier, shareUrls(request, config.publicUrl), now),
      ]);
      return send(reply, referralPage(referral, {
        rewards,
        walletBalance: referrer?.walletBalance ?? null,
        demo: Boolean(deps.demo),
        refundKey: `dash_${randomBytes(8).toString('hex')}`,
        ...outcome,
      }), outcome.error ? 400 : 200);
    };

    dashboard.get('/dashboard/referrals/:referralId', (request, reply) => showReferral(request, reply));

    /** Runs a money action, then shows the referral with what happened. */
    const act = (path: string, run: (request: FastifyRequest, referralId: string) => Promise<string>) =>
      dashboard.post(`/dashboard/referrals/:referralId/${path}`, async (request, reply) => {
        try {
          return await showReferral(request, reply, { notice: await run(request, (request.params as { referralId: string }).referralId) });
        } catch (error) {
          if (error instanceof ApiError && error.statusCode < 500) return showReferral(request, reply, { error: error.message });
          throw error;
        }
      });

    for (const decision of ['approve', 'reject'] as const) {
      act(decision, async (request, referralId) => {
        await decideReferralRewards(store, request.partner.programId, referralId, decision, undefined, clock.now());
        return decision === 'approve' ? 'Rewards approved: they are funded when the confirmation period ends.' : 'Rewards rejected.';
      });
    }

    act('refunds', async (request, referralId) => {
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      const amount = Math.round(Number((form.amount ?? '').replace(',', '.')) * 100);
      if (!Number.isFinite(amount) || amount <= 0) throw new ApiError('VALIDATION_ERROR', 'Enter the refunded amount in euros, such as 64.99');
      await recordRefund(store, request.partner.programId, referralId, {
        amount, idempotencyKey: String(form.idempotencyKey ?? `dash_${randomBytes(8).toString('hex')}`), dispute: form.dispute === '1',
      }, clock.now());
      return 'Refund recorded: the rewards were clawed back in proportion.';
    });

    if (deps.demo) {
      const demo = deps.demo;
      act('skip-confirmation', async (request, referralId) => {
        await skipConfirmationPeriod(store, request.partner.programId, referralId, clock.now());
        await demo.runJobs();
        return 'Confirmation period skipped (demo): approved rewards were funded.';
      });
    }

    const showSettings = async (request: FastifyRequest, reply: FastifyReply, notice?: string, error?: string) => {
      const program = (await getProgram(store.db, request.partner.programId))!;
      return send(reply, settingsPage(program, embedSnippets(serverUrl(request, config.publicUrl), program.programId, program.attributionWindowDays), notice, error), error ? 400 : 200);
    };

    dashboard.get('/dashboard/settings', showSettings);

    dashboard.post('/dashboard/settings', async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      const parsed = programUpdate.safeParse({
        landingUrl: form.landingUrl?.trim() || null,
        allowedOrigins: (form.allowedOrigins ?? '').split(/\s+/).filter(Boolean),
        ...(form.primaryColor?.trim() && { branding: { primaryColor: form.primaryColor.trim() } }),
      });
      if (!parsed.success) {
        return showSettings(request, reply, undefined, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      }
      await updateProgram(store.db, request.partner.programId, parsed.data, clock.now());
      return showSettings(request, reply, 'Saved.');
    });
  });
}

/**
 * @module
 * Webhooks in the partner API (documented extension): endpoints, their
 * delivery log and manual replay, and the events themselves.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  deliveryList, deliveryListQuery, eventList, eventListQuery, webhookEndpoint, webhookEndpointCreate, webhookEndpointList,
  webhookEndpointUpdate, webhookEndpointWithSecret,
} from '../../contract/webhooks.ts';
import type { RouteDeps } from '../app.ts';
import { noQuery, partnerErrors } from '../http/route-schemas.ts';
import { ApiError, invalidField } from '../domain/api-error.ts';
import { isPrivateWebhookUrl } from '../domain/webhooks/is-private-address.ts';
import { listDeliveries, replayDelivery } from '../store/deliveries.ts';
import { listEvents } from '../store/events.ts';
import {
  createWebhookEndpoint, deleteWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints, updateWebhookEndpoint,
} from '../store/webhooks.ts';

const endpointParams = z.strictObject({ endpointId: z.string().min(1).max(64) });
const endpointNotFound = () => new ApiError('NOT_FOUND', 'Webhook endpoint not found');

export async function partnerWebhookRoutes(app: FastifyInstance, { store, clock, config, rateLimits }: RouteDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Webhooks'];
  const security = [{ apiKey: [] }];

  /** Unless the operator allows it, a partner cannot point the server at its own machine or network. */
  const checkUrl = (url: string | undefined) => {
    if (url !== undefined && !config.webhookAllowPrivate && isPrivateWebhookUrl(url)) {
      throw invalidField('url', 'Must be reachable on the internet: loopback and private addresses are not allowed');
    }
  };

  api.post('/webhooks', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security,
      summary: 'Register a webhook endpoint',
      description: 'Extension. Events are POSTed as JSON `{ type, timestamp, data }`, signed per Standard Webhooks with the returned `secret` '
        + '(headers webhook-id, webhook-timestamp, webhook-signature). Delivery is at least once: drop repeats by webhook-id. '
        + 'Anything but a 2xx within the timeout is retried with exponential backoff for about three days.',
      querystring: noQuery,
      body: webhookEndpointCreate,
      response: { 201: webhookEndpointWithSecret, ...partnerErrors() },
    },
  }, async (request, reply) => {
    checkUrl(request.body.url);
    reply.code(201);
    return createWebhookEndpoint(store.db, request.partner.programId, request.body, clock.now());
  });

  api.get('/webhooks', {
    schema: { tags, security, summary: 'List webhook endpoints', querystring: noQuery, response: { 200: webhookEndpointList, ...partnerErrors() } },
  }, async (request) => ({ endpoints: await listWebhookEndpoints(store.db, request.partner.programId) }));

  api.get('/webhooks/:endpointId', {
    schema: {
      tags, security, summary: 'Get a webhook endpoint with its secret',
      params: endpointParams, querystring: noQuery, response: { 200: webhookEndpointWithSecret, ...partnerErrors(404) },
    },
  }, async (request) => {
    const found = await getWebhookEndpoint(store.db, request.partner.programId, request.params.endpointId);
    if (!found) throw endpointNotFound();
    return found;
  });

  api.patch('/webhooks/:endpointId', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security, summary: 'Change a webhook endpoint',
      description: 'Extension. A disabled endpoint receives nothing: its pending deliveries wait, and events while it is disabled are not sent to it.',
      params: endpointParams, querystring: noQuery, body: webhookEndpointUpdate, response: { 200: webhookEndpoint, ...partnerErrors(404) },
    },
  }, async (request) => {
    checkUrl(request.body.url);
    const updated = await updateWebhookEndpoint(store.db, request.partner.programId, request.params.endpointId, request.body, clock.now());
    if (!updated) throw endpointNotFound();
    return updated;
  });

  api.delete('/webhooks/:endpointId', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security, summary: 'Delete a webhook endpoint and its delivery log',
      params: endpointParams, querystring: noQuery, response: { 204: z.null(), ...partnerErrors(404) },
    },
  }, async (request, reply) => {
    if (!(await deleteWebhookEndpoint(store.db, request.partner.programId, request.params.endpointId))) throw endpointNotFound();
    reply.code(204);
    return null;
  });

  api.get('/webhooks/:endpointId/deliveries', {
    schema: {
      tags, security, summary: 'The delivery log of an endpoint',
      description: 'Extension. Newest first, each delivery with every attempt: when, the status code or the error, how long it took.',
      params: endpointParams, querystring: deliveryListQuery, response: { 200: deliveryList, ...partnerErrors(404) },
    },
  }, async (request) => {
    if (!(await getWebhookEndpoint(store.db, request.partner.programId, request.params.endpointId))) throw endpointNotFound();
    return { deliveries: await listDeliveries(store.db, request.partner.programId, request.params.endpointId, request.query) };
  });

  api.post('/webhooks/:endpointId/deliveries/:deliveryId/replay', {
    onRequest: rateLimits.writesPerIp,
    schema: {
      tags, security, summary: 'Send a delivery again',
      description: 'Extension. Sent at the next run with the same webhook-id (drop it if you already processed it), and retried afresh if it fails.',
      params: endpointParams.extend({ deliveryId: z.string().min(1).max(64) }),
      querystring: noQuery,
      body: z.strictObject({}).nullish(),
      response: { 202: z.object({ deliveryId: z.string(), status: z.literal('pending') }), ...partnerErrors(404) },
    },
  }, async (request, reply) => {
    const { endpointId, deliveryId } = request.params;
    if (!(await replayDelivery(store.db, request.partner.programId, endpointId, deliveryId, clock.now()))) {
      throw new ApiError('NOT_FOUND', 'Delivery not found');
    }
    reply.code(202);
    return { deliveryId, status: 'pending' as const };
  });

  api.get('/events', {
    schema: {
      tags, security, summary: 'List events',
      description: 'Extension. Every event of your program, whether or not an endpoint received it, oldest first: the same data the webhooks carry.',
      querystring: eventListQuery, response: { 200: eventList, ...partnerErrors() },
    },
  }, async (request) => ({ events: await listEvents(store.db, request.partner.programId, request.query) }));
}

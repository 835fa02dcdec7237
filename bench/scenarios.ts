/**
 * @module
 * The requests each scenario sends. Reads rotate over many referrals rather
 * than hammer one row; writes make every request unique, so each one does the
 * full work of a first-time create or conversion (never an idempotent replay).
 */
import type { Scenario } from './measure.ts';

const API = '/api/v1/partners/referrals';

/** Cycles through `items`, one per call. */
function cycle<T>(items: readonly T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length]!;
}

export const helloWorld: Scenario = { name: 'bare Fastify hello-world', status: 200, request: { method: 'GET', path: '/' } };

export function getReferral(apiKey: string, ids: readonly string[]): Scenario {
  const nextId = cycle(ids);
  return {
    name: 'GET /referrals/:id',
    status: 200,
    request: {
      method: 'GET',
      headers: { 'x-api-key': apiKey },
      setupRequest: (request) => ({ ...request, path: `${API}/${nextId()}` }),
    },
  };
}

export function listReferrals(apiKey: string, query = ''): Scenario {
  return {
    name: `GET /referrals${query ? `?${query}` : ' (page 1 of 25)'}`,
    status: 200,
    request: { method: 'GET', path: query ? `${API}?${query}` : API, headers: { 'x-api-key': apiKey } },
  };
}

export function createReferral(apiKey: string, referrerIdentifiers: readonly string[]): Scenario {
  const nextReferrer = cycle(referrerIdentifiers);
  const runId = Date.now().toString(36);
  let sequence = 0;
  return {
    name: 'POST /referrals (create)',
    status: 201,
    request: {
      method: 'POST',
      path: API,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      setupRequest: (request) => {
        const n = sequence++;
        return {
          ...request,
          body: JSON.stringify({
            referrerIdentifier: nextReferrer(),
            friendEmail: `bench-${runId}-${n}@mail.example`,
            friendName: `Bench Friend ${n}`,
            metadata: { source: 'bench' },
          }),
        };
      },
    },
  };
}

/**
 * Converts each referral of `pendingIds` once. When they run out, requests go
 * to an ID that does not exist, so the run fails loudly with 404s instead of
 * silently measuring replays.
 */
export function convertReferral(apiKey: string, pendingIds: readonly string[]): Scenario & { used: () => number } {
  let next = 0;
  return {
    name: 'POST /referrals/:id/convert',
    status: 201,
    used: () => next,
    request: {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      setupRequest: (request) => {
        const n = next++;
        const id = pendingIds[n] ?? 'ref_conversion_pool_exhausted';
        return {
          ...request,
          path: `${API}/${id}/convert`,
          body: JSON.stringify({ conversionValue: 1_000 + (n % 50_000), currency: 'EUR', externalTransactionId: `bench-order-${n}` }),
        };
      },
    },
  };
}

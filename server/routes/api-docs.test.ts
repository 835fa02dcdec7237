/**
 * `GET /api/openapi.json` and the reference page at `/api/docs`: generated
 * from the same schemas that validate, so the document says what the API does.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../test/api-client.ts';
import { freshStore, type TestStore } from '../test/stores.ts';

interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
}

describe('API reference', () => {
  let store: TestStore;
  let app: FastifyInstance;
  // The document does not depend on the database: one dialect is enough.
  beforeAll(async () => {
    store = await freshStore('sqlite');
    app = await testApp(store);
  });
  afterAll(async () => {
    await app.close();
    await store.cleanup();
  });

  it('serves an OpenAPI 3.1 document with every referral operation, each secured by the X-API-Key scheme', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const doc = response.json<{ openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key' });

    const operations: Array<[string, string, string[]]> = [
      ['/api/v1/partners/referrals', 'get', ['200', '400', '401', '403', '429']],
      ['/api/v1/partners/referrals', 'post', ['200', '201', '400', '401', '403', '429']],
      ['/api/v1/partners/referrals/{referralId}', 'get', ['200', '404']],
      ['/api/v1/partners/referrals/{referralId}', 'patch', ['200', '400', '404']],
      ['/api/v1/partners/referrals/{referralId}/convert', 'post', ['200', '201', '409', '429']],
      ['/api/v1/partners/program', 'get', ['200']],
      ['/api/v1/partners/program', 'patch', ['200', '400']],
    ];
    for (const [path, method, statuses] of operations) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.security).toEqual([{ apiKey: [] }]);
      for (const status of statuses) expect(operation!.responses, `${method} ${path} ${status}`).toHaveProperty(status);
    }
    const listParameters = doc.paths['/api/v1/partners/referrals']!.get!.parameters!.map((p) => p.name).sort();
    expect(listParameters).toEqual(['dateFrom', 'dateTo', 'page', 'pageSize', 'referrerEmail', 'search', 'sortBy', 'sortOrder', 'status']);
    const createBody = doc.paths['/api/v1/partners/referrals']!.post!.requestBody!.content['application/json']!.schema;
    expect(createBody).toMatchObject({ required: expect.arrayContaining(['referrerIdentifier', 'friendEmail', 'friendName']), additionalProperties: false });
    expect(Object.keys(createBody.properties as object).sort()).toEqual(['externalSourceId', 'friendEmail', 'friendName', 'metadata', 'referrerIdentifier']);
    // No dangling references: every $ref points into the document.
    for (const ref of JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []) {
      const target = ref.slice(8, -1).replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('serves a readable reference page at /api/docs/', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(/<html/i);
    // The page's scripts and the document they load (./json, relative to the page) are there too.
    const page = 'http://localhost/api/docs/';
    for (const asset of [...response.body.matchAll(/src="([^"]+\.js)"/g)].map((m) => new URL(m[1]!, page).pathname)) {
      expect((await app.inject({ method: 'GET', url: asset })).statusCode, asset).toBe(200);
    }
    const initializer = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain("'./json'");
    expect((await app.inject({ method: 'GET', url: new URL('./json', page).pathname })).json().openapi).toBe('3.1.0');
    const redirect = await app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 301, 302]).toContain(redirect.statusCode);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';

describe('the API as a whole', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(databaseKinds[0]!);
  });
  afterAll(() => t.close());

  it('reports health with the database kind', async () => {
    const res = await t.api.get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', db: 'pglite' });
  });

  it('describes every fixed endpoint in the OpenAPI document, with request schemas', async () => {
    const res = await t.api.get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const fixed = [
      ['get', '/api/health'], ['post', '/api/auth/login'], ['get', '/api/warehouses'], ['post', '/api/warehouses'],
      ['get', '/api/warehouses/{id}/stock'], ['get', '/api/commodities'], ['post', '/api/commodities'], ['post', '/api/donations'],
      ['post', '/api/donations/{id}/receive'], ['get', '/api/track/{trackingCode}'], ['get', '/api/needs'], ['post', '/api/needs'],
      ['post', '/api/needs/import'], ['get', '/api/zones'], ['put', '/api/zones/{id}'], ['get', '/api/openapi.json'],
    ];
    for (const [method, path] of fixed) expect(res.body.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
    const pledge = res.body.paths['/api/donations'].post;
    expect(pledge.requestBody.content['application/json'].schema.required).toContain('items');
    expect(pledge.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
  });

  it('answers unknown endpoints with a problem, not HTML', async () => {
    const res = await t.api.get('/api/nothing-here').expect(404);
    expect(res.type).toBe('application/problem+json');
  });

  it('names unknown fields instead of ignoring them', async () => {
    const res = await t.api.post('/api/auth/login').send({ email: 'a@b.co', password: 'x', admin: true }).expect(400);
    expect(res.body.errors).toContainEqual({ field: 'body.admin', reason: 'unknown field' });
  });
});

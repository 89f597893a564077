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

  it('answers public pages even with a stale token, and tells a protected endpoint the token expired', async () => {
    await t.api.get('/api/health').set('Authorization', 'Bearer stale').expect(200);
    const res = await t.api.get('/api/warehouses').set('Authorization', 'Bearer stale').expect(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('names unknown fields instead of ignoring them', async () => {
    const res = await t.api.post('/api/auth/login').send({ email: 'a@b.co', password: 'x', admin: true }).expect(400);
    expect(res.body.errors).toContainEqual({ field: 'body.admin', reason: 'unknown field' });
  });
});

describe('numbers beyond what the database holds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(databaseKinds[0]!);
  });
  afterAll(() => t.close());

  it('are refused at the edge with the field named, never a 500', async () => {
    const coordinator = { Authorization: `Bearer ${t.tokens.coordinator}` };
    const huge = 2 ** 31;
    const cases: [string, string, object | undefined, string][] = [
      ['post', '/api/stock/movements', { lotId: huge, kind: 'spoiled', quantity: 1, reason: 'x' }, 'body.lotId'],
      ['post', '/api/stock/lots', { warehouseId: 1, commodityId: 1, lotCode: 'L', quantity: 99_999_999_999 }, 'body.quantity'],
      ['get', `/api/routes/${huge}`, undefined, 'path.id'],
      ['get', `/api/needs?offset=${huge}`, undefined, 'query.offset'],
      ['post', '/api/plans', { seed: huge }, 'body.seed'],
    ];
    for (const [method, path, body, field] of cases) {
      const req = method === 'get' ? t.api.get(path) : t.api.post(path).send(body!);
      const res = await req.set(coordinator);
      expect(res.status, path).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

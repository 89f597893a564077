import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';

describe.each(databaseKinds)('commodities on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const formula = { code: 'FORMULA', name: 'Infant formula', unit: '800 g tin', weightKg: 0.9, volumeM3: 0.0015, category: 'infant' };

  it('adds a commodity to the catalogue, filters by category and updates it', async () => {
    const created = await t.api.post('/api/commodities').set(bearer(t.tokens.coordinator)).send(formula).expect(201);
    expect(created.body).toMatchObject({ ...formula, perishable: false });
    const infant = await t.api.get('/api/commodities?category=infant').set(bearer(t.tokens.community)).expect(200);
    expect(infant.body.items).toHaveLength(1);
    const food = await t.api.get('/api/commodities?category=food').set(bearer(t.tokens.community)).expect(200);
    expect(food.body.items).toHaveLength(0);
    const patched = await t.api.patch(`/api/commodities/${created.body.id}`).set(bearer(t.tokens.coordinator)).send({ perishable: true }).expect(200);
    expect(patched.body.perishable).toBe(true);
  });

  it('refuses a duplicate code, a negative weight, an unknown category and an unknown filter', async () => {
    const dup = await t.api.post('/api/commodities').set(bearer(t.tokens.coordinator)).send(formula).expect(409);
    expect(dup.body.errors[0].field).toBe('body.code');
    const bad = await t.api.post('/api/commodities').set(bearer(t.tokens.coordinator)).send({ ...formula, code: 'X', weightKg: -1, category: 'toys' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.category', 'body.weightKg']);
    await t.api.get('/api/commodities?category=toys').set(bearer(t.tokens.coordinator)).expect(400);
    await t.api.get('/api/commodities?limit=0').set(bearer(t.tokens.coordinator)).expect(400);
    await t.api.post('/api/commodities').set(bearer(t.tokens.charity)).send({ ...formula, code: 'Y' }).expect(403);
  });
});

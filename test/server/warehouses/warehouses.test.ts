import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';

const depot = { name: 'North depot', address: '1 Rue A', lat: 43.73, lon: 7.42, capacityWeightKg: 2000, capacityVolumeM3: 12 };

describe.each(databaseKinds)('warehouses on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('creates, reads, lists and updates a warehouse', async () => {
    const created = await t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).send(depot).expect(201);
    expect(created.body).toMatchObject({ ...depot, openingHours: '08:00-20:00' });
    const id = created.body.id;
    await t.api.get(`/api/warehouses/${id}`).set(bearer(t.tokens.coordinator)).expect(200);
    const list = await t.api.get('/api/warehouses?limit=10').set(bearer(t.tokens.coordinator)).expect(200);
    expect(list.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
    const patched = await t.api.patch(`/api/warehouses/${id}`).set(bearer(t.tokens.coordinator)).send({ capacityWeightKg: 2500 }).expect(200);
    expect(patched.body.capacityWeightKg).toBe(2500);
  });

  it('refuses wrong types with the field named, and writes nothing', async () => {
    const res = await t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).send({ ...depot, lat: 'north' }).expect(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'body.lat' }));
    const list = await t.api.get('/api/warehouses').set(bearer(t.tokens.coordinator));
    expect(list.body.total).toBe(1);
  });

  it('refuses malformed JSON with a problem, not a crash', async () => {
    const res = await t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(res.body.errors[0].field).toBe('body');
  });

  it('refuses the wrong role and the unsigned', async () => {
    await t.api.post('/api/warehouses').set(bearer(t.tokens.charity)).send(depot).expect(403);
    await t.api.post('/api/warehouses').send(depot).expect(401);
    await t.api.get('/api/warehouses').set(bearer('not-a-token')).expect(401);
  });

  it('answers 404 for an unknown id', async () => {
    await t.api.get('/api/warehouses/999999').set(bearer(t.tokens.coordinator)).expect(404);
    await t.api.patch('/api/warehouses/999999').set(bearer(t.tokens.coordinator)).send({ name: 'x' }).expect(404);
  });

  it('replays a retried create with the same Idempotency-Key instead of duplicating it', async () => {
    const key = 'create-south-depot';
    const first = await t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).set('Idempotency-Key', key).send({ ...depot, name: 'South' }).expect(201);
    const again = await t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).set('Idempotency-Key', key).send({ ...depot, name: 'South' }).expect(201);
    expect(again.body.id).toBe(first.body.id);
    const list = await t.api.get('/api/warehouses').set(bearer(t.tokens.coordinator));
    expect(list.body.items.filter((w: { name: string }) => w.name === 'South')).toHaveLength(1);
    await t.api.post('/api/warehouses').set(bearer(t.tokens.coordinator)).set('Idempotency-Key', key).send({ ...depot, name: 'Other' }).expect(422);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aCommodity, aWarehouse } from '../../support/records.ts';

const NUL = '\u0000';

describe.each(databaseKinds)('input the schemas cannot see, at the edge, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());
  afterEach(() => vi.restoreAllMocks());

  it('answers a malformed percent-encoding in a path with 400, signed in or not, and logs no stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const [path, token] of [
      ['/api/track/%E0%A4%A', undefined],
      ['/api/warehouses/%E0%A4%A', t.tokens.coordinator],
      ['/api/zones/%ZZ', t.tokens.coordinator],
    ] as const) {
      const req = t.api.get(path);
      const res = await (token ? req.set(bearer(token)) : req);
      expect(res.status, path).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors).toEqual([{ field: 'path', reason: 'malformed percent-encoding' }]);
    }
    expect(logged).not.toHaveBeenCalled();
  });

  const count = async (table: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

  it('refuses a NUL character in any body field with 400 naming the field, writes nothing, and lets the same key retry', async () => {
    const warehouse = await aWarehouse(t);
    const commodity = await aCommodity(t);
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['/api/warehouses', { name: `Depot${NUL}`, address: '1 Quai', lat: 43.73, lon: 7.42, capacityWeightKg: 100, capacityVolumeM3: 1 }, 'body.name', 'warehouses'],
      ['/api/commodities', { code: 'NUL1', name: 'Rice', unit: `bag${NUL}`, weightKg: 1, volumeM3: 0.01, category: 'food' }, 'body.unit', 'commodities'],
      ['/api/donations', { warehouseId: warehouse.id, donorName: 'Ann', note: `x${NUL}y`, items: [{ commodityId: commodity.id, quantity: 1 }] }, 'body.note', 'donations'],
    ];
    for (const [path, body, field, table] of cases) {
      const before = await count(table);
      const send = (b: object) => t.api.post(path).set(bearer(t.tokens.coordinator)).set('Idempotency-Key', `nul-${path}`).send(b);
      const refused = await send(body);
      expect(refused.status, path).toBe(400);
      expect(refused.type).toBe('application/problem+json');
      expect(refused.body.errors).toEqual([{ field, reason: expect.stringMatching(/NUL/) }]);
      expect(await count(table), path).toBe(before);
      const clean = JSON.parse(JSON.stringify(body).replaceAll('\\u0000', ''));
      expect((await send(clean)).status, `${path} retried without the NUL`).toBe(201);
      expect(await count(table)).toBe(before + 1);
    }
  });

  it('refuses a NUL character deep in a body, in a PATCH, in the query and in the path', async () => {
    const commodity = await aCommodity(t);
    const coordinator = bearer(t.tokens.coordinator);
    const patch = await t.api.patch(`/api/commodities/${commodity.id}`).set(coordinator).send({ name: `Rice${NUL}` }).expect(400);
    expect(patch.body.errors).toEqual([{ field: 'body.name', reason: expect.stringMatching(/NUL/) }]);
    const warehouse = await aWarehouse(t);
    const donation = await t.api.post('/api/donations').set(coordinator).send({ warehouseId: warehouse.id, donorName: 'Bo', items: [{ commodityId: commodity.id, quantity: 2 }] }).expect(201);
    const [item] = await t.db.query<{ id: number }>('SELECT id FROM donation_items WHERE donation_id = $1', [donation.body.id]);
    const receipt = await t.api.post(`/api/donations/${donation.body.id}/receive`).set(coordinator).send({ items: [{ itemId: item!.id, accepted: 1, rejected: 1, rejectionReason: `torn${NUL}` }] }).expect(400);
    expect(receipt.body.errors).toEqual([{ field: 'body.items.0.rejectionReason', reason: expect.stringMatching(/NUL/) }]);
    const tracked = await t.api.get('/api/track/%00abcd').expect(400);
    expect(tracked.body.errors).toEqual([{ field: 'path.trackingCode', reason: expect.stringMatching(/NUL/) }]);
    const query = await t.api.post('/api/needs/import?source=%00x').set(coordinator).type('text/csv').send('').expect(400);
    expect(query.body.errors).toEqual([{ field: 'query.source', reason: expect.stringMatching(/NUL/) }]);
  });
});

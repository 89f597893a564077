import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, PASSWORD, type TestApp } from '../../support/app.ts';
import { aCommodity, aHousehold, post } from '../../support/records.ts';
import { registry } from '../../../server/http/endpoint.ts';

type Row = Record<string, unknown> & { id: number };

/**
 * For each PATCH endpoint, a record whose fields differ from every default its create schema has, and one
 * unrelated field to change. A new PATCH endpoint fails the first test until it has its case here.
 */
const cases: Record<string, { create: (t: TestApp) => Promise<Row>; change: Record<string, unknown> }> = {
  '/commodities/:id': { create: (t) => aCommodity(t, { perishable: true, category: 'medicine' }), change: { name: 'Renamed' } },
  '/warehouses/:id': {
    create: (t) => post(t, '/api/warehouses', { name: 'Depot', address: '1 Quai', lat: 43.73, lon: 7.42, openingHours: '06:00-22:00', capacityWeightKg: 900, capacityVolumeM3: 9 }),
    change: { name: 'Renamed' },
  },
  '/drivers/:id': {
    create: (t) =>
      post(t, '/api/drivers', { name: 'Dee', phone: '+377 600 000', kind: 'driver', vehicleType: 'cargo_bike', capacityWeightKg: 80, capacityVolumeM3: 0.5, shiftStart: '07:00', shiftEnd: '15:00', active: false }),
    change: { name: 'Renamed' },
  },
  '/users/:id': {
    create: (t) => post(t, '/api/users', { email: 'worker@patch.test', name: 'Wanda', role: 'community', password: PASSWORD, communities: ['Monte-Carlo'] }, 'admin'),
    change: { active: false },
  },
  '/needs/:id': {
    create: async (t) => {
      const commodity = await aCommodity(t);
      const household = aHousehold({ elderlyAlone: true, infant: true });
      return (await post(t, '/api/needs', { household, commodityId: commodity.id, quantity: 4, urgency: 'critical', deadline: '2031-01-31' })).need;
    },
    change: { quantity: 5 },
  },
  '/households/:id': {
    create: async (t) => {
      const commodity = await aCommodity(t);
      const { household } = await post(t, '/api/needs', { household: aHousehold({ chronicIllness: true, pregnant: true }), commodityId: commodity.id, quantity: 1 });
      return household;
    },
    change: { notes: 'ring twice' },
  },
};

describe.each(databaseKinds)('PATCH on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const patchPaths = () => [...registry.values()].filter((spec) => spec.method === 'patch').map((spec) => spec.path);

  it('has a case below for every PATCH endpoint', () => {
    expect(patchPaths().sort()).toEqual(Object.keys(cases).sort());
  });

  /** The record as the API shows it: its own GET when there is one, else its collection's list. */
  const read = async (path: string, id: number): Promise<Row> => {
    const admin = bearer(t.tokens.admin);
    if (registry.has(`get ${path}`)) return (await t.api.get(`/api${path.replace(':id', String(id))}`).set(admin).expect(200)).body;
    const list = (await t.api.get(`/api${path.replace('/:id', '')}`).set(admin).expect(200)).body;
    return (Array.isArray(list) ? list : list.items).find((row: Row) => row.id === id);
  };
  const withoutChanged = (row: Row, change: object) => {
    const rest: Record<string, unknown> = { ...row };
    for (const key of [...Object.keys(change), 'version', 'updatedAt']) delete rest[key];
    return rest;
  };

  it.for(Object.keys(cases))('%s changes only the fields sent', async (path) => {
    const { create, change } = cases[path]!;
    const { id } = await create(t);
    const before = await read(path, id);
    const body = { ...change, ...(before.version === undefined ? {} : { version: before.version }) };
    const res = await t.api.patch(`/api${path.replace(':id', String(id))}`).set(bearer(t.tokens.admin)).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await read(path, id);
    for (const [key, value] of Object.entries(change)) expect(after[key], key).toEqual(value);
    expect(withoutChanged(after, change)).toEqual(withoutChanged(before, change));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { sealedZone } from '../../../seeds/places.ts';

const square = { type: 'Polygon', coordinates: [[[7.41, 43.72], [7.43, 43.72], [7.43, 43.735], [7.41, 43.735], [7.41, 43.72]]] };

describe.each(databaseKinds)('zones on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  const coordinator = () => bearer(t.tokens.coordinator);

  it('draws a zone, changes its status day by day and keeps the history', async () => {
    const created = await t.api.post('/api/zones').set(coordinator()).send({ name: 'Condamine', polygon: sealedZone.polygon, status: 'controlled' }).expect(201);
    const id = created.body.id;
    const sealed = await t.api
      .put(`/api/zones/${id}`)
      .set(coordinator())
      .send({ status: 'sealed', statusOn: '2030-03-01', note: 'cases found', gates: sealedZone.gates })
      .expect(200);
    expect(sealed.body).toMatchObject({ status: 'sealed', statusOn: '2030-03-01', gates: [{ name: sealedZone.gates[0]!.name }] });
    await t.api.put(`/api/zones/${id}`).set(coordinator()).send({ status: 'precaution', statusOn: '2030-03-15' }).expect(200);
    const history = await t.api.get(`/api/zones/${id}/history`).set(coordinator()).expect(200);
    expect(history.body.map((h: { status: string }) => h.status)).toEqual(['controlled', 'sealed', 'precaution']);
    expect(history.body[1]).toMatchObject({ statusOn: '2030-03-01', note: 'cases found', setBy: t.userIds.coordinator });
    const list = await t.api.get('/api/zones').set(bearer(t.tokens.driver)).expect(200);
    expect(list.body[0]).toMatchObject({ id, status: 'precaution', polygon: sealedZone.polygon });
  });

  it('refuses a sealed zone without a gate, an open ring and a bad status', async () => {
    const noGate = await t.api.post('/api/zones').set(coordinator()).send({ name: 'A', polygon: square, status: 'sealed' }).expect(400);
    expect(noGate.body.errors[0].field).toBe('body.gates');
    const open = { type: 'Polygon', coordinates: [[[7.41, 43.72], [7.43, 43.72], [7.43, 43.735], [7.41, 43.735]]] };
    const ring = await t.api.post('/api/zones').set(coordinator()).send({ name: 'B', polygon: open, status: 'open' }).expect(400);
    expect(ring.body.errors[0].field).toMatch(/^body\.polygon\.coordinates/);
    const created = await t.api.post('/api/zones').set(coordinator()).send({ name: 'C', polygon: square, status: 'open' }).expect(201);
    await t.api.put(`/api/zones/${created.body.id}`).set(coordinator()).send({ status: 'locked' }).expect(400);
    const sealWithoutGate = await t.api.put(`/api/zones/${created.body.id}`).set(coordinator()).send({ status: 'sealed' }).expect(400);
    expect(sealWithoutGate.body.errors[0].field).toBe('body.gates');
    const history = await t.api.get(`/api/zones/${created.body.id}/history`).set(coordinator());
    expect(history.body).toHaveLength(1);
  });

  it('refuses a sealed zone whose gate no vehicle can reach, naming the gate', async () => {
    const deepInside = { name: 'Inner gate', lat: 43.7306, lon: 7.4212 };
    const res = await t.api.post('/api/zones').set(coordinator()).send({ ...sealedZone, name: 'Rock 2', gates: [deepInside] }).expect(400);
    expect(res.body.errors[0].field).toBe('body.gates.0');
  });

  it('lets only coordinators and admins change zones, and answers 404 for unknown ones', async () => {
    await t.api.post('/api/zones').set(bearer(t.tokens.community)).send({ name: 'D', polygon: square, status: 'open' }).expect(403);
    await t.api.put('/api/zones/1').set(bearer(t.tokens.driver)).send({ status: 'open' }).expect(403);
    await t.api.put('/api/zones/999999').set(coordinator()).send({ status: 'open' }).expect(404);
    await t.api.post('/api/zones').set(coordinator()).send({ name: 'Condamine', polygon: square, status: 'open' }).expect(409);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aWarehouse } from '../../support/records.ts';

describe.each(databaseKinds)('drivers on %s', (kind) => {
  let t: TestApp;
  let warehouseId: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    warehouseId = (await aWarehouse(t)).id;
  });
  afterAll(() => t.close());

  const coordinator = () => bearer(t.tokens.coordinator);
  const van = () => ({ userId: t.userIds.driver, name: 'Luca', phone: '+377 06 12 34 56', kind: 'driver', vehicleType: 'van', capacityWeightKg: 800, capacityVolumeM3: 6, shiftStart: '08:00', shiftEnd: '16:00', homeWarehouseId: warehouseId });

  it('registers a driver with a vehicle, capacity and shift, and updates it', async () => {
    const created = await t.api.post('/api/drivers').set(coordinator()).send(van()).expect(201);
    expect(created.body).toMatchObject({ ...van(), active: true });
    const patched = await t.api.patch(`/api/drivers/${created.body.id}`).set(coordinator()).send({ shiftEnd: '18:00' }).expect(200);
    expect(patched.body.shiftEnd).toBe('18:00');
    const list = await t.api.get('/api/drivers?kind=driver').set(coordinator()).expect(200);
    expect(list.body.total).toBe(1);
  });

  it('refuses a shift that ends before it starts, an unknown warehouse, a non-driver account and a taken account', async () => {
    const backwards = await t.api.post('/api/drivers').set(coordinator()).send({ ...van(), userId: undefined, shiftStart: '18:00', shiftEnd: '08:00' }).expect(400);
    expect(backwards.body.errors[0].field).toBe('body.shiftEnd');
    const noDepot = await t.api.post('/api/drivers').set(coordinator()).send({ ...van(), userId: undefined, homeWarehouseId: 999999 }).expect(404);
    expect(noDepot.body.errors[0].field).toBe('body.homeWarehouseId');
    const wrongRole = await t.api.post('/api/drivers').set(coordinator()).send({ ...van(), userId: t.userIds.charity }).expect(400);
    expect(wrongRole.body.errors[0].field).toBe('body.userId');
    await t.api.post('/api/drivers').set(coordinator()).send(van()).expect(409);
    const first = (await t.api.get('/api/drivers').set(coordinator())).body.items[0];
    await t.api.patch(`/api/drivers/${first.id}`).set(coordinator()).send({ shiftStart: '19:00' }).expect(400);
  });

  it('keeps the driver list (with phones) away from drivers and charities', async () => {
    await t.api.get('/api/drivers').set(bearer(t.tokens.driver)).expect(403);
    await t.api.get('/api/drivers').set(bearer(t.tokens.charity)).expect(403);
  });
});

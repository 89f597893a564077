import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { bearer, databaseKinds, PASSWORD, startTestApp, type TestApp } from '../../support/app.ts';
import { connect } from '../../support/sockets.ts';
import { aWarehouse, post } from '../../support/records.ts';
import { audience } from '../../../server/auth/audience.ts';

describe.each(databaseKinds)('coordinators tied to warehouses follow only theirs on the live board, on %s', (kind) => {
  let t: TestApp;
  let url: string;
  let port: number;
  let harbour: number;
  let nice: { id: number; token: string };
  beforeAll(async () => {
    t = await startTestApp(kind);
    url = await t.listen({ channel: `board-${randomBytes(4).toString('hex')}` });
    port = (await aWarehouse(t, 'Port depot')).id;
    harbour = (await aWarehouse(t, 'Harbour depot')).id;
    const created = await post(t, '/api/users', { email: 'harbour@test.local', name: 'Harbour coordinator', role: 'coordinator', password: PASSWORD, warehouseIds: [harbour] }, 'admin');
    expect(created.warehouseIds).toEqual([harbour]);
    const login = await t.api.post('/api/auth/login').send({ email: 'harbour@test.local', password: PASSWORD }).expect(200);
    nice = { id: created.id, token: login.body.token };
    await post(t, '/api/drivers', { name: 'Port driver', kind: 'driver', vehicleType: 'van', capacityWeightKg: 500, capacityVolumeM3: 3, shiftStart: '08:00', shiftEnd: '16:00', userId: t.userIds.driver, homeWarehouseId: port });
  });
  afterAll(() => t.close());

  it('sends a driver’s position to the coordinators of the driver’s warehouse and to those who follow all', async () => {
    const restricted = connect(url, nice.token);
    const everyone = connect(url, t.tokens.coordinator);
    await Promise.all([restricted.hello, everyone.hello]);
    await t.api.post('/api/me/position').set(bearer(t.tokens.driver)).send({ lat: 43.735, lon: 7.421 }).expect(200);
    await everyone.next((e) => e.type === 'board:position');
    await new Promise((r) => setTimeout(r, 200));
    expect(restricted.received.filter((e) => e.type === 'board:position')).toEqual([]);
    await t.api.patch(`/api/users/${nice.id}`).set(bearer(t.tokens.admin)).send({ warehouseIds: [harbour, port] }).expect(200);
    restricted.close();
    const widened = connect(url, nice.token);
    await widened.hello;
    await t.api.post('/api/me/position').set(bearer(t.tokens.driver)).send({ lat: 43.736, lon: 7.422 }).expect(200);
    await widened.next((e) => e.type === 'board:position' && (e.data as { lat: number }).lat === 43.736);
    widened.close();
    everyone.close();
    await t.api.patch(`/api/users/${nice.id}`).set(bearer(t.tokens.admin)).send({ warehouseIds: [harbour] }).expect(200);
  });

  it('stores route and stop news for the coordinators following that warehouse; plans for every coordinator', async () => {
    const [forPort, forHarbour, forPlans] = await t.db.transaction(async (tx) => [await audience.board(tx, port), await audience.board(tx, harbour), await audience.board(tx)]);
    expect(forPort).toEqual(expect.arrayContaining([t.userIds.coordinator, t.userIds.admin]));
    expect(forPort).not.toContain(nice.id);
    expect(forHarbour).toEqual(expect.arrayContaining([t.userIds.coordinator, t.userIds.admin, nice.id]));
    expect(forPlans).toContain(nice.id);
  });

  it('lists only the routes of their warehouses', async () => {
    const [plan] = await t.db.query<{ id: number }>(`INSERT INTO plans (request) VALUES ('{}') RETURNING id`);
    const [driver] = await t.db.query<{ id: number }>('SELECT id FROM drivers WHERE user_id = $1', [t.userIds.driver]);
    const inserted = await t.db.query<{ id: number; warehouse_id: number }>(
      `INSERT INTO routes (plan_id, driver_id, kind, warehouse_id) VALUES ($1, $2, 'vehicle', $3), ($1, $2, 'vehicle', $4) RETURNING id, warehouse_id`,
      [plan!.id, driver!.id, port, harbour],
    );
    const theirs = await t.api.get(`/api/routes?planId=${plan!.id}`).set(bearer(nice.token)).expect(200);
    expect(theirs.body.map((r: { id: number }) => r.id)).toEqual(inserted.filter((r) => r.warehouse_id === harbour).map((r) => r.id));
    const all = await t.api.get(`/api/routes?planId=${plan!.id}`).set(bearer(t.tokens.coordinator)).expect(200);
    expect(all.body).toHaveLength(2);
  });

  it('refuses warehouses for other roles and unknown warehouses, by field', async () => {
    const wrongRole = await t.api.post('/api/users').set(bearer(t.tokens.admin)).send({ email: 'x@test.local', name: 'X', role: 'driver', password: PASSWORD, warehouseIds: [port] });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.errors[0].field).toBe('body.warehouseIds');
    const unknown = await t.api.patch(`/api/users/${nice.id}`).set(bearer(t.tokens.admin)).send({ warehouseIds: [harbour, 99999] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].field).toBe('body.warehouseIds.1');
    const users = await t.api.get('/api/users').set(bearer(t.tokens.admin)).expect(200);
    expect(users.body.find((u: { id: number }) => u.id === nice.id).warehouseIds).toEqual([harbour]);
  });
});

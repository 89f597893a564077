import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aPlan, fontvieillePlan, twoWarehouses, type Member, type RouteBody, type TwoWarehouses } from '../../support/warehouses.ts';

describe.each(databaseKinds)('a coordinator tied to a warehouse works on that warehouse only, on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  /** Tied to Fontvieille (`ours`) or Monte-Carlo (`theirs`). */
  let ours: Member;
  let theirs: Member;
  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    ours = s.coordinators.fontvieille;
    theirs = s.coordinators.monteCarlo;
  });
  afterAll(() => t.close());

  const as = (who: Member | 'admin') => bearer(who === 'admin' ? t.tokens.admin : who.token);
  const one = async <T>(sql: string, params: unknown[]) => (await t.db.query<T>(sql, params))[0]!;
  const planState = async (id: number) => ({
    plan: await one<{ status: string }>('SELECT status FROM plans WHERE id = $1', [id]),
    movements: (await one<{ n: number }>('SELECT count(*)::int AS n FROM stock_movements WHERE plan_id = $1', [id])).n,
    routes: (await one<{ n: number }>('SELECT count(*)::int AS n FROM routes WHERE plan_id = $1', [id])).n,
  });

  it('lets every coordinator read a plan with the warehouses it draws from, and only one tied to all of them approve, dispatch or re-plan it', async () => {
    const local = await fontvieillePlan(t, s);
    expect(local.warehouseIds).toEqual([s.fontvieille]);
    expect((await t.api.get(`/api/plans/${local.id}`).set(as(theirs)).expect(200)).body.warehouseIds).toEqual([s.fontvieille]);

    const before = await planState(local.id);
    const refused = await t.api.post(`/api/plans/${local.id}/approve`).set(as(theirs)).expect(403);
    expect(refused.type).toBe('application/problem+json');
    expect(refused.body.detail).toMatch(new RegExp(`warehouse ${s.fontvieille}`));
    expect(await planState(local.id)).toEqual(before);
    await t.api.post(`/api/plans/${local.id}/approve`).set(as(ours)).expect(200);

    const approved = await planState(local.id);
    await t.api.post(`/api/plans/${local.id}/dispatch`).set(as(theirs)).send({ timeLimitMs: 200 }).expect(403);
    expect(await planState(local.id)).toEqual(approved);
    // A pledge waiting to be collected for Monte-Carlo is not Fontvieille's coordinator's to send a driver for.
    const pledge = (
      await t.api
        .post('/api/donations')
        .set(bearer(t.tokens.charity))
        .send({ warehouseId: s.monteCarlo, donorName: 'Moulins bakery', items: [{ commodityId: s.water, quantity: 2 }], collection: { address: '12 Bd des Moulins', lat: 43.7425, lon: 7.4275 } })
        .expect(201)
    ).body;
    const localDispatch = (await t.api.post(`/api/plans/${local.id}/dispatch`).set(as(ours)).send({ timeLimitMs: 200 }).expect(200)).body;
    const routes = localDispatch.routes;
    expect(routes.map((r: RouteBody) => r.warehouseIds)).toEqual([[s.fontvieille]]);
    expect(JSON.stringify(localDispatch)).not.toContain(pledge.trackingCode);
    expect(await t.db.query('SELECT id FROM stops WHERE donation_id = $1', [pledge.id])).toEqual([]);

    const versions = async () => t.db.query('SELECT id, version, status FROM routes WHERE plan_id = $1 ORDER BY id', [local.id]);
    const routesBefore = await versions();
    await t.api.post(`/api/plans/${local.id}/replan`).set(as(theirs)).send({ event: { kind: 'closure' }, timeLimitMs: 200 }).expect(403);
    expect(await versions()).toEqual(routesBefore);
    // Within the plan's warehouses, goods from another warehouse's lot stay out of reach as if unknown.
    const lot = await t.api.post(`/api/plans/${local.id}/replan`).set(as(ours)).send({ event: { kind: 'urgent-need', needId: s.needs.waterMonteCarlo, lotId: s.lots.water, quantity: 1 }, timeLimitMs: 200 }).expect(404);
    expect(lot.body.errors[0].field).toBe('body.event.lotId');
    expect(await versions()).toEqual(routesBefore);
    await t.api.post(`/api/plans/${local.id}/replan`).set(as(ours)).send({ event: { kind: 'closure' }, timeLimitMs: 200 }).expect(200);

    // A plan drawing from both warehouses is for an admin or a coordinator of both.
    const both = await aPlan(t, {});
    expect(both.warehouseIds).toEqual([s.fontvieille, s.monteCarlo].sort((a, b) => a - b));
    const ready = await planState(both.id);
    for (const who of [ours, theirs]) await t.api.post(`/api/plans/${both.id}/approve`).set(as(who)).expect(403);
    expect(await planState(both.id)).toEqual(ready);
    await t.api.post(`/api/plans/${both.id}/approve`).set(as('admin')).expect(200);
    const bothApproved = await planState(both.id);
    for (const who of [ours, theirs]) await t.api.post(`/api/plans/${both.id}/dispatch`).set(as(who)).send({ timeLimitMs: 200 }).expect(403);
    expect(await planState(both.id)).toEqual(bothApproved);
    const collected = (await t.api.post(`/api/plans/${both.id}/dispatch`).set(bearer(t.tokens.coordinator)).send({ timeLimitMs: 200 }).expect(200)).body.routes;
    // A coordinator of every warehouse does send a driver for it.
    expect(collected.flatMap((r: { stops: { donationId?: number | null }[] }) => r.stops.map((stop) => stop.donationId))).toContain(pledge.id);
  });

  it('answers another warehouse’s routes and stops as unknown, for reading and for every change, and changes nothing', async () => {
    const routes: RouteBody[] = (await t.api.get('/api/routes').set(as('admin')).expect(200)).body;
    const mine = routes.find((r) => r.warehouseId === s.fontvieille)!;
    const other = routes.find((r) => r.warehouseId === s.monteCarlo)!;
    const stored = async () => ({
      routes: await t.db.query('SELECT id, status, version FROM routes ORDER BY id'),
      stops: await t.db.query('SELECT id, status FROM stops ORDER BY id'),
      lots: await t.db.query('SELECT id, on_hand, reserved, in_transit FROM lots ORDER BY id'),
    });
    const before = await stored();
    const stop = other.stops[0]!.id;
    for (const [method, path, body] of [
      ['get', `/api/routes/${other.id}`],
      ['post', `/api/routes/${other.id}/accept`],
      ['post', `/api/routes/${other.id}/pickup`],
      ['post', `/api/stops/${stop}/status`, { status: 'delivered' }],
      ['post', `/api/stops/${stop}/status`, { status: 'failed', reason: 'nobody_home' }],
    ] as const) {
      const res = await t.api[method](path).set(as(ours)).send(body ?? {});
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.detail).not.toMatch(/Rossi|Princesse/);
    }
    expect(await stored()).toEqual(before);
    const listed: RouteBody[] = (await t.api.get('/api/routes').set(as(ours)).expect(200)).body;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.warehouseIds.every((w) => w === s.fontvieille))).toBe(true);

    const read = await t.api.get(`/api/routes/${mine.id}`).set(as(ours)).expect(200);
    expect(read.body.stops[0].recipient.name).toBe('Bianchi household');
    await t.api.post(`/api/routes/${mine.id}/accept`).set(as(ours)).expect(200);
    expect((await t.api.get(`/api/routes/${other.id}`).set(as(theirs)).expect(200)).body.stops[0].recipient.name).toBe('Rossi household');
    await t.api.post(`/api/routes/${other.id}/accept`).set(as('admin')).expect(200);
  });

  it('answers another warehouse’s stock and lots as unknown, refuses new lots there, and lists only its own ledger', async () => {
    const lots = async () => t.db.query('SELECT id, on_hand, reserved, in_transit FROM lots ORDER BY id');
    const before = await lots();
    await t.api.get(`/api/warehouses/${s.monteCarlo}/stock`).set(as(ours)).expect(404);
    const spoil = { lotId: s.lots.water, kind: 'spoiled', quantity: 1, reason: 'torn' };
    const movement = await t.api.post('/api/stock/movements').set(as(ours)).send(spoil).expect(404);
    expect(movement.body.errors[0].field).toBe('body.lotId');
    const newLot = { warehouseId: s.monteCarlo, commodityId: s.water, lotCode: 'WATER-2', quantity: 3 };
    const lot = await t.api.post('/api/stock/lots').set(as(ours)).send(newLot).expect(403);
    expect(lot.body.errors[0].field).toBe('body.warehouseId');
    expect(await lots()).toEqual(before);

    const ledger = (await t.api.get('/api/stock/movements?limit=500').set(as(ours)).expect(200)).body;
    expect(ledger.items.length).toBeGreaterThan(0);
    expect(ledger.items.every((m: { warehouseId: number }) => m.warehouseId === s.fontvieille)).toBe(true);
    expect((await t.api.get(`/api/stock/movements?lotId=${s.lots.water}`).set(as(ours)).expect(200)).body.items).toEqual([]);

    expect((await t.api.get(`/api/warehouses/${s.monteCarlo}/stock`).set(as(theirs)).expect(200)).body.commodities).toHaveLength(1);
    await t.api.get(`/api/warehouses/${s.monteCarlo}/stock`).set(as('admin')).expect(200);
    await t.api.post('/api/stock/movements').set(as(theirs)).send(spoil).expect(201);
    await t.api.post('/api/stock/lots').set(as(theirs)).send(newLot).expect(201);
    await t.api.post('/api/stock/movements').set(as('admin')).send({ ...spoil, reason: 'crushed' }).expect(201);
  });

  it('answers another warehouse’s donations as unknown, refuses to receive them or log pledges there', async () => {
    const pledge = { warehouseId: s.monteCarlo, donorName: 'Croix-Rouge', donorContact: '+377 93 00 00 01', items: [{ commodityId: s.water, quantity: 4 }] };
    const donation = (await t.api.post('/api/donations').set(bearer(t.tokens.charity)).send(pledge).expect(201)).body;
    const stored = async () => ({
      donation: await t.db.query('SELECT status, received_at FROM donations WHERE id = $1', [donation.id]),
      lots: (await one<{ n: number }>('SELECT count(*)::int AS n FROM lots', [])).n,
    });
    const before = await stored();
    const read = await t.api.get(`/api/donations/${donation.id}`).set(as(ours)).expect(404);
    expect(JSON.stringify(read.body)).not.toMatch(/Croix-Rouge|\+377/);
    const receipt = { items: [{ itemId: donation.items[0].id, accepted: 4 }] };
    await t.api.post(`/api/donations/${donation.id}/receive`).set(as(ours)).send(receipt).expect(404);
    expect((await t.api.get('/api/donations').set(as(ours)).expect(200)).body.items.map((d: { id: number }) => d.id)).not.toContain(donation.id);
    const logged = await t.api.post('/api/donations').set(as(ours)).send(pledge).expect(403);
    expect(logged.body.errors[0].field).toBe('body.warehouseId');
    expect(await stored()).toEqual(before);

    await t.api.get(`/api/donations/${donation.id}`).set(as('admin')).expect(200);
    expect((await t.api.get('/api/donations').set(as(theirs)).expect(200)).body.items.map((d: { id: number }) => d.id)).toContain(donation.id);
    await t.api.post(`/api/donations/${donation.id}/receive`).set(as(theirs)).send(receipt).expect(200);
    await t.api.post('/api/donations').set(as(theirs)).send(pledge).expect(201);
  });

  it('answers another warehouse’s drivers as unknown and refuses to base drivers there; gate volunteers are shared', async () => {
    const theirDriver = s.drivers.monteCarlo.driverId;
    const drivers = async () => t.db.query('SELECT * FROM drivers ORDER BY id');
    const volunteer = (await t.api.post('/api/drivers').set(as(ours)).send({ name: 'Gate volunteer', kind: 'gate_volunteer', vehicleType: 'on_foot', capacityWeightKg: 20, capacityVolumeM3: 0.06, shiftStart: '08:00', shiftEnd: '14:00' }).expect(201)).body;
    const before = await drivers();
    await t.api.get(`/api/drivers/${theirDriver}`).set(as(ours)).expect(404);
    await t.api.patch(`/api/drivers/${theirDriver}`).set(as(ours)).send({ active: false }).expect(404);
    const moved = await t.api.patch(`/api/drivers/${s.drivers.fontvieille.driverId}`).set(as(ours)).send({ homeWarehouseId: s.monteCarlo }).expect(403);
    expect(moved.body.errors[0].field).toBe('body.homeWarehouseId');
    const based = { name: 'New driver', kind: 'driver', vehicleType: 'car', capacityWeightKg: 300, capacityVolumeM3: 2, shiftStart: '08:00', shiftEnd: '16:00', homeWarehouseId: s.monteCarlo };
    expect((await t.api.post('/api/drivers').set(as(ours)).send(based).expect(403)).body.errors[0].field).toBe('body.homeWarehouseId');
    expect(await drivers()).toEqual(before);
    const listed = (await t.api.get('/api/drivers').set(as(ours)).expect(200)).body.items.map((d: { id: number }) => d.id);
    expect(listed).toEqual([s.drivers.fontvieille.driverId, volunteer.id]);

    await t.api.get(`/api/drivers/${volunteer.id}`).set(as(theirs)).expect(200);
    await t.api.get(`/api/drivers/${theirDriver}`).set(as('admin')).expect(200);
    await t.api.patch(`/api/drivers/${theirDriver}`).set(as(theirs)).send({ phone: '+377 06 00 00 00' }).expect(200);
    await t.api.post('/api/drivers').set(as(theirs)).send(based).expect(201);
  });

  it('shows every warehouse to everyone but lets a coordinator change only theirs', async () => {
    const before = await t.db.query('SELECT * FROM warehouses ORDER BY id');
    await t.api.get(`/api/warehouses/${s.monteCarlo}`).set(as(ours)).expect(200);
    await t.api.patch(`/api/warehouses/${s.monteCarlo}`).set(as(ours)).send({ capacityWeightKg: 1 }).expect(403);
    expect(await t.db.query('SELECT * FROM warehouses ORDER BY id')).toEqual(before);
    await t.api.patch(`/api/warehouses/${s.monteCarlo}`).set(as(theirs)).send({ openingHours: '08:00-18:00' }).expect(200);
    await t.api.patch(`/api/warehouses/${s.monteCarlo}`).set(as('admin')).send({ openingHours: '07:00-19:00' }).expect(200);
  });
});

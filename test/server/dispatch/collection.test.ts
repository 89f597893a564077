// Pledges collected on pickup routes, and reload trips, on the demo: the real database, the real router.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startDemoApp } from '../../support/app.ts';
import { solving } from '../../../server/plans/plans.service.ts';
import { pledgesToCollect } from '../../../server/donations/donations.service.ts';

type Stop = { id: number; kind: string; status: string; trip: number | null; donationId: number | null; pledge?: { trackingCode: string; address: string; items: { quantity: number }[] } };
type Route = { id: number; driverId: number; kind: string; status: string; reloads: number[]; stops: Stop[] };
type Uncollected = { donationId: number; trackingCode: string; warehouseId: number; reason: string };

const COORDINATOR = 'coordinator@lifeline.local';
const CHARITY = 'charity@lifeline.local';
const drivers = Array.from({ length: 8 }, (_, i) => `driver${i + 1}@lifeline.local`);

describe('pledges collected on pickup routes, and reload trips, on the demo', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  let dispatched: { routes: Route[]; uncollected: Uncollected[] };
  let parish: { id: number; trackingCode: string; warehouseId: number; items: { id: number; quantityPledged: number }[] };
  let onTheRock: { id: number };
  let nearThePort: { id: number };
  const coordinator = () => bearer(t.tokens[COORDINATOR]!);
  const charity = () => bearer(t.tokens[CHARITY]!);

  beforeAll(async () => {
    t = await startDemoApp('pglite', [COORDINATOR, CHARITY, ...drivers]);
    const [seeded] = await t.db.query<{ id: number }>(`SELECT id FROM donations WHERE collection_address IS NOT NULL`);
    parish = (await t.api.get(`/api/donations/${seeded!.id}`).set(charity()).expect(200)).body;
    // Inside the sealed compound, where no vehicle may drive.
    const [warehouse] = await t.db.query<{ id: number }>(`SELECT id FROM warehouses ORDER BY id LIMIT 1`);
    const [rice] = await t.db.query<{ id: number }>(`SELECT id FROM commodities WHERE code = 'RICE-5KG'`);
    onTheRock = (
      await t.api
        .post('/api/donations')
        .set(charity())
        .send({ warehouseId: warehouse!.id, donorName: 'Palace kitchens', items: [{ commodityId: rice!.id, quantity: 4 }], collection: { address: 'Place du Palais', lat: 43.7312, lon: 7.4202 } })
        .expect(201)
    ).body;
    // Near the parish pledge's warehouse, on the same street grid: a second collection, to fail.
    nearThePort = (
      await t.api
        .post('/api/donations')
        .set(charity())
        .send({ warehouseId: parish.warehouseId, donorName: 'Condamine market stall', items: [{ commodityId: rice!.id, quantity: 2 }], collection: { address: 'Place d’Armes', lat: 43.7347, lon: 7.4206 } })
        .expect(201)
    ).body;
    const planId = (await t.api.post('/api/plans').set(coordinator()).send({}).expect(202)).body.id;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(coordinator()).expect(200);
    dispatched = (await t.api.post(`/api/plans/${planId}/dispatch`).set(coordinator()).send({ timeLimitMs: 1500 }).expect(200)).body;
  });
  afterAll(() => t.close());

  const collectionStop = (donationId = parish.id) => {
    const route = dispatched.routes.find((r) => r.stops.some((s) => s.kind === 'collection' && s.donationId === donationId))!;
    return { route, stop: route.stops.find((s) => s.donationId === donationId)! };
  };
  const driverOf = async (route: Route) => {
    const [owner] = await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [route.driverId]);
    return bearer(t.tokens[owner!.email]!);
  };
  const waiting = async () => (await pledgesToCollect(t.db)).map((p) => p.donationId);

  it('sends the vans back to the warehouse to reload when the coordinator sets no trips, and shows where each trip starts', () => {
    const vehicle = dispatched.routes.filter((r) => r.kind === 'vehicle');
    const reloading = vehicle.filter((r) => r.reloads.length > 0);
    expect(reloading.length).toBeGreaterThan(0);
    for (const r of vehicle) {
      const starts = r.stops.flatMap((s, k) => (k > 0 && s.trip !== r.stops[k - 1]!.trip ? [k] : []));
      expect(r.reloads).toEqual(starts);
    }
  });

  it('puts the demo’s parish pledge on a route of its warehouse, with the address and what to load', () => {
    const { route, stop } = collectionStop();
    expect(route.kind).toBe('vehicle');
    expect(stop.status).toBe('pending');
    expect(stop.pledge).toMatchObject({ trackingCode: parish.trackingCode, address: expect.stringContaining('Saint-Charles') });
    expect(stop.pledge!.items.map((i) => i.quantity)).toEqual(parish.items.map((i) => i.quantityPledged));
    expect(dispatched.uncollected.map((u) => u.donationId)).not.toContain(parish.id);
  });

  it('lists a pledge the fleet cannot reach as uncollected, with its reason', () => {
    const left = dispatched.uncollected.find((u) => u.donationId === onTheRock.id);
    expect(left).toMatchObject({ reason: 'no road open to vehicles reaches it (a sealed zone or a closure)' });
    expect(dispatched.routes.flatMap((r) => r.stops).some((s) => s.donationId === onTheRock.id)).toBe(false);
  });

  it('shows the charity when its pledge is to be collected, and by whom', async () => {
    const { route } = collectionStop();
    const mine = (await t.api.get(`/api/donations/${parish.id}`).set(charity()).expect(200)).body;
    expect(mine.pickup).toMatchObject({ routeId: route.id, status: 'pending', on: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), driver: expect.any(String) });
  });

  it('receives the pledge into stock once when the driver marks it collected (a retry changes nothing), the ledger balanced', async () => {
    const { route, stop } = collectionStop();
    const driver = await driverOf(route);
    await t.api.post(`/api/routes/${route.id}/pickup`).set(driver).expect(200);
    const wrong = await t.api.post(`/api/stops/${stop.id}/status`).set(driver).send({ status: 'delivered' }).expect(400);
    expect(wrong.body.errors[0].field).toBe('body.status');
    // Nor is a delivery collected (the database would refuse it: a client mistake, never a 500).
    const delivery = route.stops.find((s) => s.kind !== 'collection')!;
    const notAPledge = await t.api.post(`/api/stops/${delivery.id}/status`).set(driver).send({ status: 'collected' }).expect(400);
    expect(notAPledge.body.errors[0].field).toBe('body.status');

    const key = `collect-${stop.id}`;
    const first = await t.api.post(`/api/stops/${stop.id}/status`).set(driver).set('Idempotency-Key', key).send({ status: 'collected' }).expect(200);
    await t.api.post(`/api/stops/${stop.id}/status`).set(driver).set('Idempotency-Key', key).send({ status: 'collected' }).expect(200);
    await t.api.post(`/api/stops/${stop.id}/status`).set(driver).send({ status: 'collected' }).expect(409);
    expect(first.body).toMatchObject({ id: stop.id, status: 'collected' });

    const lots = await t.db.query<{ id: number; on_hand: number; received: number; warehouse_id: number }>(
      `SELECT l.id, l.on_hand, l.warehouse_id, (SELECT sum(quantity) FROM stock_movements m WHERE m.lot_id = l.id AND m.kind = 'received')::int AS received
       FROM lots l WHERE l.donation_id = $1 ORDER BY l.id`,
      [parish.id],
    );
    expect(lots.map((l) => l.on_hand)).toEqual(parish.items.map((i) => i.quantityPledged));
    for (const l of lots) expect(l.received).toBe(l.on_hand);
    const [{ warehouse_id }] = (await t.db.query<{ warehouse_id: number }>('SELECT warehouse_id FROM donations WHERE id = $1', [parish.id])) as [{ warehouse_id: number }];
    expect(new Set(lots.map((l) => l.warehouse_id))).toEqual(new Set([warehouse_id]));

    const mine = (await t.api.get(`/api/donations/${parish.id}`).set(charity()).expect(200)).body;
    expect(mine.status).toBe('received');
    expect(mine.pickup).toMatchObject({ status: 'collected', doneAt: expect.any(String) });
    expect(mine.items.every((i: { quantityAccepted: number; quantityPledged: number }) => i.quantityAccepted === i.quantityPledged)).toBe(true);
  });

  it('offers the next dispatch no pledge on a route under way or collected, and a pledge whose collection failed again', async () => {
    expect(await waiting()).toEqual([onTheRock.id]);
    const { route, stop } = collectionStop(nearThePort.id);
    const driver = await driverOf(route);
    const [{ status }] = (await t.db.query<{ status: string }>('SELECT status FROM routes WHERE id = $1', [route.id])) as [{ status: string }];
    if (status !== 'picked_up') await t.api.post(`/api/routes/${route.id}/pickup`).set(driver).expect(200);
    await t.api.post(`/api/stops/${stop.id}/status`).set(driver).send({ status: 'failed', reason: 'nobody_home' }).expect(200);
    expect(await waiting()).toEqual([onTheRock.id, nearThePort.id]);
    const mine = (await t.api.get(`/api/donations/${nearThePort.id}`).set(charity()).expect(200)).body;
    expect(mine).toMatchObject({ status: 'pledged', pickup: { status: 'failed' } });
  });
});

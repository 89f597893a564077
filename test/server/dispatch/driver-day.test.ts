import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, startDemoApp } from '../../support/app.ts';
import { connect } from '../../support/sockets.ts';
import { solving } from '../../../server/plans/plans.service.ts';

type Stop = { id: number; kind: string; status: string; trip: number | null; householdId: number | null; items: { needId: number; lotId: number; quantity: number }[]; recipient?: Record<string, unknown> };
type Route = { id: number; driverId: number; kind: string; status: string; warehouseId: number | null; stops: Stop[] };

const COORDINATOR = 'coordinator@lifeline.local';
const drivers = Array.from({ length: 8 }, (_, i) => `driver${i + 1}@lifeline.local`);
const volunteers = Array.from({ length: 4 }, (_, i) => `volunteer${i + 1}@lifeline.local`);

describe('dispatch and the driver’s day on the demo scenario', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  let url: string;
  let planId: number;
  let dispatched: { routes: Route[]; unassigned: unknown[] };
  let allocated: { needId: number; lotId: number; quantity: number }[];

  beforeAll(async () => {
    t = await startDemoApp('pglite', [COORDINATOR, 'charity@lifeline.local', ...drivers, ...volunteers]);
    url = await t.listen();
    const coordinator = bearer(t.tokens[COORDINATOR]!);
    const created = await t.api.post('/api/plans').set(coordinator).send({}).expect(202);
    planId = created.body.id;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(coordinator).expect(200);
    allocated = (await t.api.get(`/api/plans/${planId}`).set(coordinator)).body.allocations;
    dispatched = (await t.api.post(`/api/plans/${planId}/dispatch`).set(coordinator).send({ timeLimitMs: 1500 }).expect(200)).body;
  });
  afterAll(() => t.close());

  it('puts every allocated item on exactly one vehicle stop, within each vehicle’s capacity', async () => {
    const vehicleItems = dispatched.routes.filter((r) => r.kind === 'vehicle').flatMap((r) => r.stops.flatMap((s) => s.items));
    const key = (i: { needId: number; lotId: number }) => `${i.needId}:${i.lotId}`;
    const carried = new Map<string, number>();
    for (const i of vehicleItems) carried.set(key(i), (carried.get(key(i)) ?? 0) + i.quantity);
    const unassignedNeeds = new Set((dispatched.unassigned as { needIds: number[] }[]).flatMap((u) => u.needIds));
    for (const a of allocated) {
      if (unassignedNeeds.has(a.needId)) continue;
      expect(carried.get(key(a)), key(a)).toBe(a.quantity);
    }
    const capacity = new Map((await t.db.query<{ id: number; capacity_weight_kg: number }>('SELECT id, capacity_weight_kg FROM drivers')).map((d) => [d.id, d.capacity_weight_kg]));
    const weight = new Map((await t.db.query<{ id: number; weight_kg: number }>('SELECT l.id, c.weight_kg FROM lots l JOIN commodities c ON c.id = l.commodity_id')).map((l) => [l.id, l.weight_kg]));
    // A van that reloads at its warehouse carries one trip's goods at a time.
    for (const r of dispatched.routes.filter((r) => r.kind === 'vehicle')) {
      for (const trip of new Set(r.stops.map((s) => s.trip))) {
        const load = r.stops.filter((s) => s.trip === trip).flatMap((s) => s.items).reduce((sum, i) => sum + i.quantity * weight.get(i.lotId)!, 0);
        expect(load).toBeLessThanOrEqual(capacity.get(r.driverId)! + 1e-6);
      }
    }
  });

  it('stores every route, stop and item, each audited once as the dispatch request’s, field for field', async () => {
    const stored = await t.db.query<{ id: number; table_name: string; row: Record<string, unknown> }>(
      `SELECT r.id, 'routes' AS table_name, to_jsonb(r) AS row FROM routes r WHERE r.plan_id = $1
       UNION ALL SELECT s.id, 'stops', to_jsonb(s) FROM stops s JOIN routes r ON r.id = s.route_id WHERE r.plan_id = $1
       UNION ALL SELECT si.id, 'stop_items', to_jsonb(si) FROM stop_items si JOIN stops s ON s.id = si.stop_id JOIN routes r ON r.id = s.route_id WHERE r.plan_id = $1`,
      [planId],
    );
    const answered = dispatched.routes.flatMap((r) => r.stops);
    expect(stored.filter((s) => s.table_name === 'routes').map((s) => s.id).sort()).toEqual(dispatched.routes.map((r) => r.id).sort());
    expect(stored.filter((s) => s.table_name === 'stops').map((s) => s.id).sort()).toEqual(answered.map((s) => s.id).sort());
    expect(stored.filter((s) => s.table_name === 'stop_items')).toHaveLength(answered.flatMap((s) => s.items).length);
    const logged = await t.db.query<{ table_name: string; record_id: string; after: Record<string, unknown>; path: string; role: string }>(
      `SELECT table_name, record_id, after, path, role FROM audit_log WHERE table_name IN ('routes', 'stops', 'stop_items') AND action = 'insert'`,
    );
    const logOf = new Map(logged.map((l) => [`${l.table_name}:${l.record_id}`, l]));
    expect(logged).toHaveLength(stored.length);
    for (const s of stored) expect(logOf.get(`${s.table_name}:${s.id}`)).toEqual({ table_name: s.table_name, record_id: String(s.id), after: s.row, path: `/api/plans/${planId}/dispatch`, role: 'coordinator' });
  });

  it('refuses to delete the household, need, lot or commodity of a stop’s goods (kept by the plan’s allocations, not by the stops)', async () => {
    const stop = dispatched.routes.flatMap((r) => r.stops).find((s) => s.kind === 'delivery' && s.items.length > 0)!;
    const [item] = await t.db.query<{ need_id: number; lot_id: number; commodity_id: number }>('SELECT need_id, lot_id, commodity_id FROM stop_items WHERE stop_id = $1 LIMIT 1', [stop.id]);
    for (const [table, id] of [['households', stop.householdId], ['needs', item!.need_id], ['lots', item!.lot_id], ['commodities', item!.commodity_id]] as const) {
      await expect(t.db.transaction((tx) => tx.query(`DELETE FROM ${table} WHERE id = $1`, [id])), table).rejects.toThrow(/foreign key/);
    }
  });

  it('serves households whose streets the sealed zone cuts off through its gate too, instead of calling them unreachable', async () => {
    const plan = (await t.api.get(`/api/plans/${planId}`).set(bearer(t.tokens[COORDINATOR]!)).expect(200)).body;
    const cutOff = Object.keys(plan.result.viaGate).map(Number);
    expect(cutOff.length).toBeGreaterThan(0);
    expect(plan.result.unmet.filter((u: { explanation: string }) => /sealed zone/.test(u.explanation))).toEqual([]);
    const doors = dispatched.routes.filter((r) => r.kind === 'walking').flatMap((r) => r.stops.flatMap((s) => s.items.map((i) => i.needId)));
    const unassigned = new Set((dispatched.unassigned as { needIds: number[] }[]).flatMap((u) => u.needIds));
    const allocatedCutOff = allocated.filter((a) => cutOff.includes(a.needId) && !unassigned.has(a.needId));
    expect(allocatedCutOff.length).toBeGreaterThan(0);
    for (const a of allocatedCutOff) expect(doors).toContain(a.needId);
  });

  it('serves the sealed zone through its gate, with walking tours for the gate volunteers', async () => {
    const gateStops = dispatched.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'gate'));
    expect(gateStops.length).toBeGreaterThan(0);
    const walking = dispatched.routes.filter((r) => r.kind === 'walking');
    expect(walking.length).toBeGreaterThan(0);
    const sealedHouseholds = new Set((await t.db.query<{ id: number }>(`SELECT h.id FROM households h JOIN zones z ON z.id = h.zone_id WHERE z.status = 'sealed'`)).map((h) => h.id));
    for (const r of dispatched.routes.filter((r) => r.kind === 'vehicle')) {
      for (const s of r.stops.filter((s) => s.kind === 'delivery')) expect(sealedHouseholds.has(s.householdId!)).toBe(false);
    }
    const gateItems = new Set(gateStops.flatMap((s) => s.items.map((i) => `${i.needId}:${i.lotId}`)));
    const plan = (await t.api.get(`/api/plans/${planId}`).set(bearer(t.tokens[COORDINATOR]!))).body;
    const viaGate = new Set(Object.keys(plan.result.viaGate).map(Number));
    for (const door of walking.flatMap((r) => r.stops)) {
      expect(door.kind).toBe('door');
      expect(sealedHouseholds.has(door.householdId!) || door.items.every((i) => viaGate.has(i.needId))).toBe(true);
      for (const i of door.items) expect(gateItems.has(`${i.needId}:${i.lotId}`)).toBe(true);
    }
  });

  it('shows a driver their own route with the recipients’ contact but no health flags, and nobody else’s', async () => {
    const route = dispatched.routes.find((r) => r.kind === 'vehicle' && r.stops.some((s) => s.kind === 'delivery'))!;
    const owner = await ownerEmail(route.driverId);
    const mine = await t.api.get('/api/me/route').set(bearer(t.tokens[owner]!)).expect(200);
    expect(mine.body.routes.map((r: Route) => r.id)).toContain(route.id);
    const stop = mine.body.routes.find((r: Route) => r.id === route.id).stops.find((s: Stop) => s.kind === 'delivery');
    expect(stop.recipient).toEqual({ name: expect.any(String), address: expect.any(String), phone: expect.toBeOneOf([expect.any(String), null]), people: expect.any(Number) });
    const text = JSON.stringify(mine.body);
    for (const flag of ['elderly', 'chronic', 'pregnant', 'infant', 'disabled']) expect(text).not.toMatch(new RegExp(flag, 'i'));
    const someoneElse = drivers.find((d) => d !== owner)!;
    await t.api.get(`/api/routes/${route.id}`).set(bearer(t.tokens[someoneElse]!)).expect(404);
    await t.api.post(`/api/routes/${route.id}/accept`).set(bearer(t.tokens[someoneElse]!)).expect(404);
  });

  it('pushes the route to its driver only, and replays it to a driver who connects later', async () => {
    const route = dispatched.routes.find((r) => r.kind === 'vehicle')!;
    const owner = await ownerEmail(route.driverId);
    const client = connect(url, t.tokens[owner]!, 0);
    await client.hello;
    const assigned = client.received.filter((e) => e.type === 'route:assigned').map((e) => (e.data as { routeId: number }).routeId);
    expect(assigned).toContain(route.id);
    // By id and version only: the app reads the route, and no copy of its households stays in the event stream.
    expect(client.received.find((e) => e.type === 'route:assigned' && (e.data as { routeId: number }).routeId === route.id)!.data).toEqual({ routeId: route.id, planId, version: 1 });
    const others = dispatched.routes.filter((r) => r.driverId !== route.driverId).map((r) => r.id);
    expect(assigned.filter((id) => others.includes(id))).toEqual([]);
    client.close();
  });

  it('closes the loop: pick-up, delivery (ledger, need, tracking) and a failed stop returning its goods, live on the board', async () => {
    const route = dispatched.routes.find((r) => r.kind === 'vehicle' && r.stops.filter((s) => s.kind === 'delivery').length >= 2)!;
    const driver = bearer(t.tokens[await ownerEmail(route.driverId)]!);
    const board = connect(url, t.tokens[COORDINATOR]!);
    await board.hello;
    const [first, second] = route.stops.filter((s) => s.kind === 'delivery');

    await t.api.post(`/api/stops/${first!.id}/status`).set(driver).send({ status: 'delivered' }).expect(409); // not picked up yet
    await t.api.post(`/api/routes/${route.id}/accept`).set(driver).expect(200);
    const picked = await t.api.post(`/api/routes/${route.id}/pickup`).set(driver).expect(200);
    expect(picked.body.status).toBe('picked_up');

    const needBefore = await needRow(first!.items[0]!.needId);
    const [{ seq: seqBefore }] = (await t.db.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::int AS seq FROM live_events')) as [{ seq: number }];
    const key = `deliver-${first!.id}`;
    const answer = await t.api.post(`/api/stops/${first!.id}/status`).set(driver).set('Idempotency-Key', key).send({ status: 'delivered' }).expect(200);
    // The stop as the app shows it, and its route still on the road (the app reads the route again when told).
    expect(answer.body).toMatchObject({ id: first!.id, status: 'delivered', items: first!.items, recipient: first!.recipient, route: { id: route.id, status: 'picked_up', version: picked.body.version } });
    expect(answer.body.stops).toBeUndefined();
    await t.api.post(`/api/stops/${first!.id}/status`).set(driver).set('Idempotency-Key', key).send({ status: 'delivered' }).expect(200); // a retry, once
    const needAfter = await needRow(first!.items[0]!.needId);
    expect(needAfter.fulfilled).toBe(needBefore.fulfilled + first!.items.filter((i) => i.needId === needBefore.id).reduce((s, i) => s + i.quantity, 0));
    const delivered = await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM stock_movements WHERE kind = 'delivered' AND stop_id = $1`, [first!.id]);
    expect(delivered[0]!.n).toBe(first!.items.length);
    await board.next((e) => e.type === 'stop:updated' && (e.data as { stopId: number }).stopId === first!.id);
    // The stop is the news, once, to the board and the driver: the route is not announced again (with its
    // households) for each of its stops, only when it ends.
    const told = await t.db.query<{ type: string; data: Record<string, unknown>; recipients: number[] }>(
      `SELECT type, data, recipients FROM live_events WHERE seq > $1 AND (data->>'routeId')::int = $2 ORDER BY seq`,
      [seqBefore, route.id],
    );
    expect(told.map((e) => [e.type, e.data.stopId])).toEqual([['stop:updated', first!.id]]);
    const [driverUser] = await t.db.query<{ user_id: number }>('SELECT user_id FROM drivers WHERE id = $1', [route.driverId]);
    expect(told[0]!.recipients).toContain(driverUser!.user_id);

    const lot = second!.items[0]!.lotId;
    const [before] = await t.db.query<{ on_hand: number; in_transit: number }>('SELECT on_hand, in_transit FROM lots WHERE id = $1', [lot]);
    await t.api.post(`/api/stops/${second!.id}/status`).set(driver).send({ status: 'failed' }).expect(400); // a reason is required
    await t.api.post(`/api/stops/${second!.id}/status`).set(driver).send({ status: 'failed', reason: 'nobody_home' }).expect(200);
    const [after] = await t.db.query<{ on_hand: number; in_transit: number }>('SELECT on_hand, in_transit FROM lots WHERE id = $1', [lot]);
    const back = second!.items.filter((i) => i.lotId === lot).reduce((s, i) => s + i.quantity, 0);
    expect(after).toEqual({ on_hand: before!.on_hand + back, in_transit: before!.in_transit - back });
    expect((await needRow(second!.items[0]!.needId)).status).toBe('open');
    board.close();

    // A delivered donated lot shows the community it reached on the public tracking page.
    const donated = await t.db.query<{ tracking_code: string; community: string }>(
      `SELECT d.tracking_code, h.community FROM stock_movements m JOIN lots l ON l.id = m.lot_id JOIN donations d ON d.id = l.donation_id
       JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id WHERE m.kind = 'delivered' LIMIT 1`,
    );
    if (donated[0]) {
      const track = await t.api.get(`/api/track/${donated[0].tracking_code}`).expect(200);
      expect(track.body.communitiesReached).toContain(donated[0].community);
    }
  });

  it('shows the day on the dashboard: fill rate by tier, deliveries, kilometres, days of cover', async () => {
    const res = await t.api.get('/api/dashboard').set(bearer(t.tokens[COORDINATOR]!)).expect(200);
    expect(res.body.fillRateByTier.map((r: { tier: number }) => r.tier)).toEqual([1, 2, 3]);
    expect(res.body.fillRateByTier.some((r: { delivered: number }) => r.delivered > 0)).toBe(true);
    expect(res.body.fillRateByTierOverPlans).toHaveLength(1);
    expect(res.body.deliveredItems).toBeGreaterThan(0);
    expect(res.body.kilometresByDay[0].km).toBeGreaterThan(0);
    expect(res.body.daysOfCover.length).toBe(15);
    await t.api.get('/api/dashboard').set(bearer(t.tokens[drivers[0]!]!)).expect(403);
  });

  it('refuses to dispatch a plan twice or one that is not approved', async () => {
    const coordinator = bearer(t.tokens[COORDINATOR]!);
    await t.api.post(`/api/plans/${planId}/dispatch`).set(coordinator).send({}).expect(409);
    await t.api.post('/api/plans/999999/dispatch').set(coordinator).send({}).expect(404);
    await t.api.post(`/api/plans/${planId}/dispatch`).set(bearer(t.tokens[drivers[0]!]!)).send({}).expect(403);
  });

  async function ownerEmail(driverId: number): Promise<string> {
    const [row] = await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [driverId]);
    return row!.email;
  }

  async function needRow(id: number) {
    return (await t.db.query<{ id: number; fulfilled: number; status: string }>('SELECT id, fulfilled, status FROM needs WHERE id = $1', [id]))[0]!;
  }
});

describe('re-planning routes under way on the demo scenario', () => {
  let t: Awaited<ReturnType<typeof startDemoApp>>;
  let url: string;
  let planId: number;
  let routes: Route[];
  const coordinator = () => bearer(t.tokens[COORDINATOR]!);

  beforeAll(async () => {
    // Re-planning starts the drivers on the road from the time of day: a morning, when every demo shift is on.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(new Date('2026-11-26T09:30:00Z'));
    t = await startDemoApp('pglite', [COORDINATOR, ...drivers]);
    url = await t.listen();
    planId = (await t.api.post('/api/plans').set(coordinator()).send({}).expect(202)).body.id;
    await solving.get(planId);
    await t.api.post(`/api/plans/${planId}/approve`).set(coordinator()).expect(200);
    routes = (await t.api.post(`/api/plans/${planId}/dispatch`).set(coordinator()).send({ timeLimitMs: 1000 }).expect(200)).body.routes;
  });
  afterAll(async () => {
    vi.useRealTimers();
    await t.close();
  });

  const routeOf = async (id: number): Promise<Route> => (await t.api.get(`/api/routes/${id}`).set(coordinator()).expect(200)).body;

  it('hands a dropped driver’s stops to colleagues of the same warehouse, keeps goods on board where they are, and tells them', async () => {
    const vehicle = routes.filter((r) => r.kind === 'vehicle');
    // One driver is on the road with the goods; another from a warehouse with two drivers drops out.
    const dropped = vehicle.find((r) => vehicle.some((o) => o.id !== r.id && o.warehouseId === r.warehouseId))!;
    const onRoad = vehicle.find((r) => r.warehouseId !== dropped.warehouseId)!;
    const onRoadEmail = (await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [onRoad.driverId]))[0]!.email;
    await t.api.post(`/api/routes/${onRoad.id}/pickup`).set(bearer(t.tokens[onRoadEmail]!)).expect(200);
    const onRoadStopsBefore = (await routeOf(onRoad.id)).stops.map((s) => s.id).sort();
    const colleague = vehicle.find((o) => o.id !== dropped.id && o.warehouseId === dropped.warehouseId)!;
    const colleagueEmail = (await t.db.query<{ email: string }>('SELECT u.email FROM drivers d JOIN users u ON u.id = d.user_id WHERE d.id = $1', [colleague.driverId]))[0]!.email;
    const phone = connect(url, t.tokens[colleagueEmail]!);
    await phone.hello;

    const res = await t.api.post(`/api/plans/${planId}/replan`).set(coordinator()).send({ event: { kind: 'driver-dropped', driverId: dropped.driverId } }).expect(200);
    expect(res.body.routes).toContain(dropped.id);
    expect((await routeOf(dropped.id)).status).toBe('cancelled');
    const droppedStops = dropped.stops.map((s) => s.id);
    const now = await Promise.all(routes.filter((r) => r.kind === 'vehicle' && r.id !== dropped.id).map((r) => routeOf(r.id)));
    const holders = droppedStops.map((id) => now.find((r) => r.stops.some((s) => s.id === id)));
    const unassigned = new Set(res.body.unassigned.map((u: { stopId: number }) => u.stopId));
    for (const [k, holder] of holders.entries()) {
      if (unassigned.has(droppedStops[k])) continue;
      expect(holder, `stop ${droppedStops[k]}`).toBeDefined();
      expect(holder!.warehouseId).toBe(dropped.warehouseId);
    }
    expect((await routeOf(onRoad.id)).stops.map((s) => s.id).sort()).toEqual(onRoadStopsBefore);
    if (holders.some((h) => h?.id === colleague.id)) await phone.next((e) => e.type === 'route:updated' && (e.data as { routeId: number }).routeId === colleague.id);
    phone.close();
  });

  it('fits an urgent need into a route not yet on the road, reserving its goods', async () => {
    const [need] = await t.db.query<{ id: number; commodity_id: number; lot_id: number }>(
      `SELECT n.id, n.commodity_id, l.id AS lot_id FROM needs n JOIN households h ON h.id = n.household_id JOIN lots l ON l.commodity_id = n.commodity_id
       LEFT JOIN zones z ON z.id = h.zone_id
       WHERE n.status = 'open' AND n.quantity > n.fulfilled AND l.on_hand - l.reserved >= 1 AND coalesce(z.status, 'open') <> 'sealed'
         AND EXISTS (SELECT 1 FROM routes r WHERE r.plan_id = $1 AND r.kind = 'vehicle' AND r.status = 'assigned' AND r.warehouse_id = l.warehouse_id)
       ORDER BY n.id LIMIT 1`,
      [planId],
    );
    const res = await t.api.post(`/api/plans/${planId}/replan`).set(coordinator()).send({ event: { kind: 'urgent-need', needId: need!.id, lotId: need!.lot_id, quantity: 1 } }).expect(200);
    expect(res.body.unassigned.filter((u: { stopId: unknown }) => u.stopId === 'urgent')).toEqual([]);
    const [stop] = await t.db.query<{ route_id: number }>(`SELECT s.route_id FROM stops s JOIN stop_items si ON si.stop_id = s.id WHERE si.need_id = $1 AND si.lot_id = $2`, [need!.id, need!.lot_id]);
    expect(stop).toBeDefined();
    const [reserved] = await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM stock_movements WHERE kind = 'reserved' AND need_id = $1 AND reason = 'urgent need'`, [need!.id]);
    expect(reserved!.n).toBe(1);
  });

  it('re-routes after a closure and refuses bad events', async () => {
    await t.api.post(`/api/plans/${planId}/replan`).set(coordinator()).send({ event: { kind: 'closure' } }).expect(200);
    const bad = await t.api.post(`/api/plans/${planId}/replan`).set(coordinator()).send({ event: { kind: 'meteor' } }).expect(400);
    expect(bad.body.errors[0].field).toMatch(/^body\.event/);
    const unknown = await t.api.post(`/api/plans/${planId}/replan`).set(coordinator()).send({ event: { kind: 'driver-dropped', driverId: 999999 } }).expect(400);
    expect(unknown.body.errors[0].field).toBe('body.event.driverId');
    await t.api.post(`/api/plans/${planId}/replan`).set(coordinator()).send({ event: { kind: 'urgent-need', needId: 999999, lotId: 1, quantity: 1 } }).expect(404);
  });
});

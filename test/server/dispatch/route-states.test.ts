import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, databaseKinds, startTestApp, type TestApp } from '../../support/app.ts';
import { aPlan, dispatched, fontvieillePlan, twoWarehouses, type RouteBody, type TwoWarehouses } from '../../support/warehouses.ts';

describe.each(databaseKinds)('a route’s stops are delivered from its own goods, once it has picked them up, on %s', (kind) => {
  let t: TestApp;
  let s: TwoWarehouses;
  /** Two routes from Fontvieille carrying rice of the same lot, and one from Monte-Carlo. */
  let first: RouteBody;
  let second: RouteBody;
  let water: RouteBody;
  beforeAll(async () => {
    t = await startTestApp(kind);
    s = await twoWarehouses(t);
    [first] = await dispatched(t, (await fontvieillePlan(t, s)).id);
    const routes = await dispatched(t, (await aPlan(t, {})).id);
    second = routes.find((r) => r.warehouseId === s.fontvieille)!;
    water = routes.find((r) => r.warehouseId === s.monteCarlo)!;
    expect([first!.stops[0]!.items[0]!.lotId, second.stops[0]!.items[0]!.lotId]).toEqual([s.lots.rice, s.lots.rice]);
  });
  afterAll(() => t.close());

  const driver = (warehouse: 'fontvieille' | 'monteCarlo') => bearer(s.drivers[warehouse].token);
  const deliver = (stopId: number, warehouse: 'fontvieille' | 'monteCarlo' = 'fontvieille') => t.api.post(`/api/stops/${stopId}/status`).set(driver(warehouse)).send({ status: 'delivered' });
  const stored = async () => ({
    lots: await t.db.query('SELECT id, on_hand, reserved, in_transit FROM lots ORDER BY id'),
    stops: await t.db.query('SELECT id, route_id, status FROM stops ORDER BY id'),
    needs: await t.db.query('SELECT id, fulfilled, status FROM needs ORDER BY id'),
    movements: (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stock_movements'))[0]!.n,
  });

  it('shows each stop with its goods as stored, named with their commodity and unit', async () => {
    const stored = await t.db.query<{ stop_id: number; need_id: number; lot_id: number; commodity_id: number; quantity: number; commodity: string; unit: string }>(
      `SELECT si.stop_id, si.need_id, si.lot_id, si.commodity_id, si.quantity, c.name AS commodity, c.unit
       FROM stop_items si JOIN commodities c ON c.id = si.commodity_id WHERE si.stop_id = ANY($1::int[]) ORDER BY si.id`,
      [[...first.stops, ...water.stops].map((stop) => stop.id)],
    );
    const listed = (await t.api.get('/api/routes').query({ limit: 500 }).set(bearer(t.tokens.coordinator)).expect(200)).body as RouteBody[];
    const shown = listed.filter((r) => r.id === first.id || r.id === water.id).flatMap((r) => r.stops.flatMap((stop) => stop.items.map((item) => ({ stopId: stop.id, ...item }))));
    expect(stored.length).toBeGreaterThan(1);
    expect(shown).toEqual(stored.map((i) => ({ stopId: i.stop_id, needId: i.need_id, lotId: i.lot_id, commodityId: i.commodity_id, quantity: i.quantity, commodity: i.commodity, unit: i.unit })));
  });

  it('refuses a stop delivered or failed before its route is picked up, naming the route’s state, and changes nothing', async () => {
    const stop = first.stops[0]!.id;
    const before = await stored();
    const early = await deliver(stop).expect(409);
    expect(early.type).toBe('application/problem+json');
    expect(early.body).toMatchObject({ routeStatus: 'assigned', detail: expect.stringMatching(/is assigned/) });
    await t.api.post(`/api/stops/${stop}/status`).set(driver('fontvieille')).send({ status: 'failed', reason: 'road_blocked' }).expect(409);
    await t.api.post(`/api/routes/${first.id}/accept`).set(driver('fontvieille')).expect(200);
    expect((await deliver(stop).expect(409)).body.routeStatus).toBe('accepted');
    expect(await stored()).toEqual(before);
  });

  it('never delivers a stop with the goods of another route carrying the same lot', async () => {
    await t.api.post(`/api/routes/${first.id}/pickup`).set(driver('fontvieille')).expect(200);
    const before = await stored();
    expect(before.lots).toContainEqual({ id: s.lots.rice, on_hand: 5, reserved: 5, in_transit: 5 });
    expect((await deliver(second.stops[0]!.id).expect(409)).body.routeStatus).toBe('assigned');
    expect(await stored()).toEqual(before);

    // Even on a route on the road (a re-plan moves stops), a stop whose goods were never loaded is not delivered from the others'.
    const unloaded = second.stops[0]!.id;
    await t.db.query('UPDATE stops SET route_id = $1, seq = 99 WHERE id = $2', [first.id, unloaded]);
    const moved = await stored();
    const refused = await deliver(unloaded).expect(409);
    expect(refused.body).toMatchObject({ lotId: s.lots.rice, onBoard: 0 });
    expect(await stored()).toEqual(moved);
    // Failed, its goods are released at the warehouse, and the goods on board stay on board.
    await t.api.post(`/api/stops/${unloaded}/status`).set(driver('fontvieille')).send({ status: 'failed', reason: 'other' }).expect(200);
    expect((await stored()).lots).toContainEqual({ id: s.lots.rice, on_hand: 5, reserved: 0, in_transit: 5 });
  });

  it('counts a stop delivered twice at the same moment once', async () => {
    const stop = first.stops[0]!.id;
    const answers = await Promise.all([deliver(stop), deliver(stop)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    // The answer is the stop as its route shows it, and the route it ended (not the whole route again).
    const [route] = await t.db.query<{ version: number }>('SELECT version FROM routes WHERE id = $1', [first.id]);
    const { items, recipient } = first.stops[0]!;
    expect(answers.find((a) => a.status === 200)!.body).toEqual({
      ...first.stops[0],
      status: 'delivered',
      doneAt: expect.any(String),
      items,
      recipient,
      route: { id: first.id, status: 'completed', version: route!.version },
    });
    const [movements] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_movements WHERE kind = 'delivered' AND stop_id = $1`, [stop]);
    expect(movements!.n).toBe(1);
    const after = await stored();
    expect(after.lots).toContainEqual({ id: s.lots.rice, on_hand: 5, reserved: 0, in_transit: 0 });
    expect(after.needs).toContainEqual({ id: s.needs.riceFontvieille, fulfilled: 5, status: 'fulfilled' });
    expect((await t.db.query('SELECT status FROM routes WHERE id = $1', [first.id]))[0]).toEqual({ status: 'completed' });
  });

  it('still runs the whole day: accept, pick up, deliver, and refuses steps out of order', async () => {
    const monteCarlo = driver('monteCarlo');
    await t.api.post(`/api/routes/${water.id}/accept`).set(monteCarlo).expect(200);
    await t.api.post(`/api/routes/${water.id}/accept`).set(monteCarlo).expect(409);
    await t.api.post(`/api/routes/${water.id}/pickup`).set(monteCarlo).expect(200);
    expect((await t.api.post(`/api/routes/${water.id}/pickup`).set(monteCarlo).expect(409)).body.routeStatus).toBe('picked_up');
    for (const stop of water.stops) await deliver(stop.id, 'monteCarlo').expect(200);
    const after = await stored();
    expect(after.lots).toContainEqual({ id: s.lots.water, on_hand: 5, reserved: 0, in_transit: 0 });
    expect(after.needs).toContainEqual({ id: s.needs.waterMonteCarlo, fulfilled: 5, status: 'fulfilled' });
    const route = (await t.api.get(`/api/routes/${water.id}`).set(monteCarlo).expect(200)).body;
    expect(route.status).toBe('completed');
    await t.api.post(`/api/routes/${water.id}/accept`).set(monteCarlo).expect(409);
  });
});
